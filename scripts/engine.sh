#!/usr/bin/env bash
# scripts/engine.sh: provision the IaC engine and an offline provider mirror for qlik-okta-iac.
#
#   eval "$(bash scripts/engine.sh)"      # or: npm run engine
#
# stdout: `export` lines the caller can eval; first the Pulumi one, either
#   QLIK_OKTA_PULUMI_BIN (the directory holding pulumi + pulumi-resource-okta) or QLIK_OKTA_PULUMI_UNAVAILABLE (why not),
# then, always as the last six lines:
#   TF_BINARY, TF_CLI_CONFIG_FILE, QLIK_OKTA_ENGINE_NAME, QLIK_OKTA_ENGINE_VERSION,
#   QLIK_OKTA_PROVIDER_MIRROR (the mirror directory), QLIK_OKTA_PROVIDER_ORIGIN (the provider's route, from okta-4.20.0/SOURCE)
# stderr: progress. Exit 1 with one paragraph saying why on failure (of the Terraform engine or provider; Pulumi is
# optional: when it cannot be provisioned the reason is logged and the Terraform settings are still exported).
# Idempotent; a warm run says "cached".
#
# Cache layout (keyed by versions), ENGINE_DIR = ${QLIK_OKTA_ENGINE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qlik-okta-iac/engine}:
#   tofu-v1.12.6/tofu                                 OpenTofu built from Go modules (wrapper module in tofu-v1.12.6/build)
#   okta-4.20.0/terraform-provider-okta_v4.20.0       okta/okta provider; okta-4.20.0/SOURCE says where it came from
#   mirror/{registry.terraform.io,registry.opentofu.org}/okta/okta/4.20.0/<os_arch>/terraform-provider-okta_v4.20.0  (hard links)
#   cli.tfrc                                          filesystem_mirror only, no direct block: offline, anything else fails fast
#   pulumi-3.276.0/bin/pulumi                         Pulumi CLI v3.276.0 built from Go modules (wrapper module scripts/pulumi/cli)
#   pulumi-3.276.0/bin/pulumi-resource-okta           our bridged okta resource plugin, version 4.20.0 (scripts/pulumi/okta-plugin)
#   pulumi-3.276.0/SOURCE                             where both came from: routes, hashes of the committed inputs and binaries
#   logs/                                             Go build logs (pulumi-cli-build.log, pulumi-okta-plugin-build.log, ...)
#
# Engine:   TF_BINARY if set; else QLIK_OKTA_ENGINE=terraform -> terraform on PATH; else the cached/built OpenTofu
#           (Go >= 1.26.6 + Go module proxy); if that is impossible, tofu (>= 1.6) then terraform (>= 1.5) on PATH.
#           QLIK_OKTA_ENGINE = auto (default) | tofu | terraform.
#           --prefer-installed (npm start): a cached OpenTofu, then tofu/terraform on PATH, and only when there is none
#           is OpenTofu built (the demo needs no second engine; the test suite wants OpenTofu for its encryption tests).
# Provider: cached binary; else (1) `go install` of the v4.20.0 commit's pseudo-version from the Go module proxy,
#           (2) `go build` of a source checkout of the v4.20.0 tag: OKTA_PROVIDER_SOURCE=<dir>, by default
#               ../shared/vendor/terraform-provider-okta-4.20.0 next to the project (unless OKTA_PROVIDER_BINARY is set:
#               an explicit binary beats an implicit source); checked first (module path and the provider's own
#               version constant), built read-only into the cache (the source directory is never written),
#           (3) OKTA_PROVIDER_BINARY=/path/to/a/prebuilt/terraform-provider-okta (v4.20.0),
#           (4) a v4.20.0 binary already copied to $ENGINE_DIR/okta-4.20.0/terraform-provider-okta_v4.20.0 (or into the
#               mirror layout), e.g. one you built yourself from the v4.20.0 tag; it is checked and then used as is.
#           okta-4.20.0/SOURCE records which route it came from (first line `source: <route> ...`).
#           QLIK_OKTA_ENGINE_REFRESH=1 re-runs that chain (and rebuilds tofu) even when the cache is complete.
# Pulumi:   (for the Pulumi variant; skipped with QLIK_OKTA_PULUMI=0, never built under --prefer-installed)
#           pulumi: `go build` of github.com/pulumi/pulumi/pkg/v3/cmd/pulumi v3.276.0 (= @pulumi/pulumi in package.json)
#               through the committed wrapper module scripts/pulumi/cli (pkg/v3's replace lines; `go install …@v3.276.0`
#               is refused because of them); needs Go >= 1.26.6.
#           pulumi-resource-okta: scripts/pulumi/okta-plugin (pulumi-terraform-bridge v3.120.0 + our own token mapping
#               for @pulumi/okta 4.20.0), copied to a build directory whose replace points at the same provider source
#               as route (2) (OKTA_PROVIDER_SOURCE or the default copy; only read); pulumi-tfgen-okta writes the schema
#               (PULUMI_CONVERT=0) that pulumi-resource-okta embeds. The Go module proxy serves no pulumi-okta modules.
#           Both are rebuilt when the committed module files change (hashes in pulumi-3.276.0/SOURCE), with
#           QLIK_OKTA_ENGINE_REFRESH=1, or when they do not report their versions; a binary that cannot be rebuilt
#           (no Go) but reports the right version is used as is ("pre-placed"). Pulumi finds the plugin on PATH
#           (put QLIK_OKTA_PULUMI_BIN first on PATH, keep PULUMI_IGNORE_AMBIENT_PLUGINS unset): nothing is downloaded.
#           Only Automation API inline programs work: pulumi-language-nodejs is not built (the proxy does not serve it).
# Nothing here downloads anything except Go modules through the configured Go module proxy.
set -euo pipefail

TOFU_VERSION=1.12.6
TOFU_MODULE=github.com/opentofu/opentofu
TOFU_GO_MIN=1.26.6
HCL_REPLACE_TARGET="github.com/opentofu/hcl/v2 v2.20.2-0.20251021132045-587d123c2828"
OKTA_VERSION=4.20.0
OKTA_MODULE=github.com/okta/terraform-provider-okta
OKTA_PSEUDO=v0.0.0-20250610104238-1924ec5199ea   # the commit tagged v4.20.0 (the module path has no /v4, so @v4.20.0 is invalid)
OKTA_GO_MIN=1.23.5
# The Go file of the provider that carries its own version (sent as the User-Agent); the source route checks it.
OKTA_VERSION_FILE=okta/config.go
MIN_TOFU=1.6.0
MIN_TERRAFORM=1.5.0

now_ms() { if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo $((t / 1000)); else echo $(($(date +%s) * 1000)); fi; }
START_MS=$(now_ms)
log() { printf 'engine: %s\n' "$*" >&2; }
die() {
  printf 'engine.sh: error: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
# version_ge A B: A >= B (numeric x.y.z; any -suffix ignored)
version_ge() { [ "$(printf '%s\n%s\n' "${2%%-*}" "${1%%-*}" | sort -V | head -n1)" = "${2%%-*}" ]; }
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=$(uname -s | tr '[:upper:]' '[:lower:]') ;; esac
case "$(uname -m)" in x86_64 | amd64) arch=amd64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
PLATFORM="${os}_${arch}"

PREFER_INSTALLED=0
for arg in "$@"; do
  case "$arg" in
    --prefer-installed) PREFER_INSTALLED=1 ;;
    *) die "unknown argument $arg (the only option is --prefer-installed)." ;;
  esac
done
PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DEFAULT_OKTA_SOURCE="$PROJECT_DIR/../shared/vendor/terraform-provider-okta-$OKTA_VERSION"

ENGINE_DIR="${QLIK_OKTA_ENGINE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/qlik-okta-iac/engine}"
mkdir -p "$ENGINE_DIR" || die "cannot create the engine directory $ENGINE_DIR (set QLIK_OKTA_ENGINE_DIR to a writable path)."
ENGINE_DIR=$(cd "$ENGINE_DIR" && pwd -P)
case "$ENGINE_DIR" in *'"'* | *'\'* | *'$'* | *$'\n'*) die "the engine directory path $ENGINE_DIR contains a character (\" \\ \$ or newline) that cannot go into the CLI config; set QLIK_OKTA_ENGINE_DIR to a plainer path." ;; esac

TOFU_DIR="$ENGINE_DIR/tofu-v$TOFU_VERSION"
TOFU_BIN="$TOFU_DIR/tofu"
OKTA_DIR="$ENGINE_DIR/okta-$OKTA_VERSION"
OKTA_BIN="$OKTA_DIR/terraform-provider-okta_v$OKTA_VERSION"
OKTA_STAMP="$OKTA_DIR/SOURCE"
MIRROR="$ENGINE_DIR/mirror"
MIRROR_HOSTS="registry.terraform.io registry.opentofu.org"
CLI_CONFIG="$ENGINE_DIR/cli.tfrc"
LOG_DIR="$ENGINE_DIR/logs"
VERIFIED="$ENGINE_DIR/.verified"
REFRESH="${QLIK_OKTA_ENGINE_REFRESH:-0}"
WANT="${QLIK_OKTA_ENGINE:-auto}"
case "$WANT" in auto | tofu | terraform) ;; *) die "QLIK_OKTA_ENGINE=$WANT is not one of auto, tofu, terraform." ;; esac

# One provisioning at a time per ENGINE_DIR (parallel test workers, two shells).
if have flock; then
  exec 9>"$ENGINE_DIR/.lock"
  flock -w 3600 9 || die "timed out waiting for another scripts/engine.sh run holding $ENGINE_DIR/.lock."
fi

CHANGED=0
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" # never let go fetch a toolchain behind our back
export CGO_ENABLED=0

go_version() { go env GOVERSION 2>/dev/null | sed -n 's/^go\([0-9][0-9.]*\).*/\1/p'; }
# go_missing_reason MIN WHAT: prints why Go cannot build WHAT (needs go >= MIN), or nothing when it can.
go_missing_reason() {
  local gv
  if ! have go; then
    echo "go is not on PATH"
    return
  fi
  gv=$(go_version)
  if [ -z "$gv" ] || ! version_ge "$gv" "$1"; then echo "go ${gv:-?} is older than $2's go $1"; fi
}

# ---------------------------------------------------------------- provider --------------------------------------------
is_plugin() { # a Go plugin binary run by hand says so and exits 1
  local out
  [ -f "$1" ] && [ -x "$1" ] || return 1
  out=$("$1" </dev/null 2>&1 || true)
  case "$out" in *"This binary is a plugin"*) return 0 ;; *) return 1 ;; esac
}

import_provider() { # import_provider SRC PROVENANCE
  local src=$1 how=$2 tmp
  is_plugin "$src" || return 1
  mkdir -p "$OKTA_DIR"
  if [ "$src" != "$OKTA_BIN" ]; then
    tmp="$OKTA_BIN.tmp.$$"
    cp "$src" "$tmp" && chmod 0755 "$tmp" && mv -f "$tmp" "$OKTA_BIN"
  fi
  {
    printf 'source: %s\n' "$how"
    printf 'sha256: %s\n' "$(sha256sum "$OKTA_BIN" 2>/dev/null | cut -d' ' -f1 || shasum -a 256 "$OKTA_BIN" | cut -d' ' -f1)"
    printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    if have go; then go version -m "$OKTA_BIN" 2>/dev/null | sed -n '1,3p' | sed 's/^/buildinfo: /'; fi
  } >"$OKTA_STAMP.tmp" && mv -f "$OKTA_STAMP.tmp" "$OKTA_STAMP"
  CHANGED=1
  log "okta provider $OKTA_VERSION <- $how"
}

# built_provider TMP RC PROVENANCE: after a Go build (exit RC) into TMP, imports TMP/terraform-provider-okta and
# removes TMP. Returns 0; 1 when the build made no binary (the reason is in its log); 2 when it is no plugin.
built_provider() {
  local tmp=$1 rc=$2 how=$3 status=0
  if [ "$rc" -ne 0 ] || [ ! -x "$tmp/terraform-provider-okta" ]; then
    status=1
  elif ! import_provider "$tmp/terraform-provider-okta" "$how"; then
    status=2
  fi
  rm -rf "$tmp"
  return "$status"
}

PROXY_REASON="" PROXY_TRIED=0
provider_from_proxy() {
  local tmp rc=0 built=0
  PROXY_REASON=$(go_missing_reason "$OKTA_GO_MIN" "the provider")
  [ -z "$PROXY_REASON" ] || return 1
  PROXY_TRIED=1
  mkdir -p "$OKTA_DIR" "$LOG_DIR"
  tmp=$(mktemp -d "$OKTA_DIR/gobin.XXXXXX")
  log "okta provider: go install $OKTA_MODULE@$OKTA_PSEUDO (Go module proxy $(go env GOPROXY)); log $LOG_DIR/okta-go-install.log"
  (cd "$tmp" && GOBIN="$tmp" go install -trimpath -ldflags "-s -w" "$OKTA_MODULE@$OKTA_PSEUDO") >"$LOG_DIR/okta-go-install.log" 2>&1 || rc=$?
  built_provider "$tmp" "$rc" "go-proxy $OKTA_MODULE@$OKTA_PSEUDO" || built=$?
  if [ "$built" = 2 ]; then
    PROXY_REASON="the built binary does not behave like a Terraform plugin"
    return 1
  elif [ "$built" = 1 ]; then
    local lg="$LOG_DIR/okta-go-install.log" status resp
    status=$(grep -v '^go: downloading' "$lg" | grep -oE '(: |^)[1-5][0-9][0-9] [A-Z][A-Za-z ]+$' | head -n1 | sed 's/^: //' || true)
    resp=$(grep -m1 -oE 'server response: .*' "$lg" | sed 's/^server response: //' || true)
    if [ -n "$status" ]; then
      PROXY_REASON="the proxy answered $status${resp:+ (\"$resp\")}"
    else
      PROXY_REASON=$(grep -v '^go: downloading' "$lg" | grep -E 'not available|[Ee]rror|go: ' | head -n1 | tr '\t' ' ' || true)
    fi
    PROXY_REASON="${PROXY_REASON:-go install exited $rc}"
    return 1
  fi
}

SOURCE_REASON=""
# okta_source_dir: the source checkout the source route builds (explicit OKTA_PROVIDER_SOURCE, else the default copy
# next to the project unless OKTA_PROVIDER_BINARY asks for a prebuilt binary); prints nothing when there is none.
okta_source_dir() {
  if [ -n "${OKTA_PROVIDER_SOURCE:-}" ]; then
    printf '%s' "$OKTA_PROVIDER_SOURCE"
  elif [ -z "${OKTA_PROVIDER_BINARY:-}" ] && [ -d "$DEFAULT_OKTA_SOURCE" ]; then
    printf '%s' "$DEFAULT_OKTA_SOURCE"
  fi
}

# check_okta_source DIR: prints why DIR is not github.com/okta/terraform-provider-okta at v4.20.0, or nothing when it is.
# Two markers, both in the source itself: go.mod's module line, and the version constant the provider reports.
check_okta_source() {
  local dir=$1 mod ver
  if [ ! -d "$dir" ]; then
    echo "$dir is not a directory"
    return
  fi
  mod=$(sed -n 's/^module[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' "$dir/go.mod" 2>/dev/null | head -n1)
  if [ "$mod" != "$OKTA_MODULE" ]; then
    echo "$dir/go.mod declares module '${mod:-none}', not $OKTA_MODULE"
    return
  fi
  ver=$(sed -n 's/^[[:space:]]*OktaTerraformProviderVersion[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$dir/$OKTA_VERSION_FILE" 2>/dev/null | head -n1)
  if [ "$ver" != "$OKTA_VERSION" ]; then
    echo "$dir/$OKTA_VERSION_FILE says OktaTerraformProviderVersion '${ver:-none}', not $OKTA_VERSION (check out the v$OKTA_VERSION tag)"
  fi
}

provider_from_source() {
  local src tmp rc=0 bad built=0
  src=$(okta_source_dir)
  if [ -z "$src" ]; then
    if [ -n "${OKTA_PROVIDER_BINARY:-}" ]; then SOURCE_REASON="OKTA_PROVIDER_BINARY is set and OKTA_PROVIDER_SOURCE is not"; else SOURCE_REASON="no source checkout: OKTA_PROVIDER_SOURCE is unset and $DEFAULT_OKTA_SOURCE does not exist"; fi
    return 1
  fi
  src=$(cd "$src" 2>/dev/null && pwd -P) || src=$(okta_source_dir)
  bad=$(check_okta_source "$src")
  if [ -n "$bad" ]; then
    # An explicit setting that points at the wrong thing is a mistake to stop on; a default copy is only a candidate.
    [ -z "${OKTA_PROVIDER_SOURCE:-}" ] || die "OKTA_PROVIDER_SOURCE=$OKTA_PROVIDER_SOURCE is not the okta provider v$OKTA_VERSION: $bad. Point it at a checkout of $OKTA_MODULE at tag v$OKTA_VERSION."
    SOURCE_REASON=$bad
    return 1
  fi
  SOURCE_REASON=$(go_missing_reason "$OKTA_GO_MIN" "the provider")
  [ -z "$SOURCE_REASON" ] || return 1
  mkdir -p "$OKTA_DIR" "$LOG_DIR"
  tmp=$(mktemp -d "$OKTA_DIR/gobuild.XXXXXX")
  log "okta provider: building from source $src (about 2 min the first time, seconds once Go's caches are warm); log $LOG_DIR/okta-source-build.log"
  # -mod=readonly and -o outside: the source directory (read-only in CI) is only read.
  (cd "$src" && go build -mod=readonly -trimpath -ldflags "-s -w" -o "$tmp/terraform-provider-okta" .) >"$LOG_DIR/okta-source-build.log" 2>&1 || rc=$?
  built_provider "$tmp" "$rc" "source-build $src ($OKTA_MODULE v$OKTA_VERSION)" || built=$?
  case "$built" in
    1) SOURCE_REASON="go build in $src failed: $(grep -v '^go: downloading' "$LOG_DIR/okta-source-build.log" | grep -m1 -E 'error|Error|go: |403|404' | tr '\t' ' ' || true) (see $LOG_DIR/okta-source-build.log)" ;;
    2) SOURCE_REASON="the binary built from $src does not behave like a Terraform plugin" ;;
  esac
  [ "$built" = 0 ]
}

stamp_source() { sed -n 's/^source: //p' "$OKTA_STAMP" 2>/dev/null | head -n1; }

provider_cold() {
  local host cand why
  if provider_from_proxy; then return 0; fi
  # Why the proxy route gave nothing: it refused (or the build failed), or it was never tried (no usable Go).
  if [ "$PROXY_TRIED" = 1 ]; then
    why="The Go module proxy does not serve $OKTA_MODULE@$OKTA_PSEUDO (the commit tagged v$OKTA_VERSION): $PROXY_REASON."
    log "okta provider: Go module proxy route failed: $PROXY_REASON"
  else
    why="The Go module proxy route was not tried: $PROXY_REASON (it would build $OKTA_MODULE@$OKTA_PSEUDO, the commit tagged v$OKTA_VERSION, with go >= $OKTA_GO_MIN)."
    log "okta provider: Go module proxy route not tried: $PROXY_REASON"
  fi
  if provider_from_source; then return 0; fi
  why="$why The source route gave nothing: $SOURCE_REASON."
  log "okta provider: source route: $SOURCE_REASON"
  if [ -n "${OKTA_PROVIDER_BINARY:-}" ]; then
    import_provider "$OKTA_PROVIDER_BINARY" "OKTA_PROVIDER_BINARY=$OKTA_PROVIDER_BINARY" && return 0
    die "OKTA_PROVIDER_BINARY=$OKTA_PROVIDER_BINARY is not an executable terraform-provider-okta plugin binary (running it must print \"This binary is a plugin\"). Point it at a terraform-provider-okta v$OKTA_VERSION binary built for $PLATFORM."
  fi
  if [ -e "$OKTA_BIN" ]; then
    import_provider "$OKTA_BIN" "pre-placed $OKTA_BIN" && return 0
    die "$OKTA_BIN exists but is not an executable terraform-provider-okta plugin binary; replace it with a v$OKTA_VERSION build for $PLATFORM or delete it."
  fi
  for host in $MIRROR_HOSTS; do
    cand="$MIRROR/$host/okta/okta/$OKTA_VERSION/$PLATFORM/terraform-provider-okta_v$OKTA_VERSION"
    if [ -e "$cand" ] && import_provider "$cand" "pre-placed $cand"; then return 0; fi
  done
  die "no okta/okta $OKTA_VERSION provider for $PLATFORM. $why Ways out: install Go >= $OKTA_GO_MIN and set OKTA_PROVIDER_SOURCE=<a checkout of $OKTA_MODULE at tag v$OKTA_VERSION>; or set OKTA_PROVIDER_BINARY=/path/to/terraform-provider-okta (a v$OKTA_VERSION build for $PLATFORM); or copy such a binary to $OKTA_BIN. Then re-run; the result is checked, recorded in $OKTA_STAMP and linked into the mirror."
}

if [ "$REFRESH" != "1" ] && [ -x "$OKTA_BIN" ] && [ -f "$OKTA_STAMP" ]; then
  src=$(stamp_source)
  if [ -n "${OKTA_PROVIDER_BINARY:-}" ] && [ "${src%% *}" != "go-proxy" ] && ! cmp -s "$OKTA_PROVIDER_BINARY" "$OKTA_BIN"; then
    import_provider "$OKTA_PROVIDER_BINARY" "OKTA_PROVIDER_BINARY=$OKTA_PROVIDER_BINARY" ||
      die "OKTA_PROVIDER_BINARY=$OKTA_PROVIDER_BINARY is not an executable terraform-provider-okta plugin binary."
  fi
else
  provider_cold
fi
OKTA_SOURCE=$(stamp_source)

# Mirror: hard links to the cached binary under both registry hosts (copies if hard links are impossible).
for host in $MIRROR_HOSTS; do
  d="$MIRROR/$host/okta/okta/$OKTA_VERSION/$PLATFORM"
  t="$d/terraform-provider-okta_v$OKTA_VERSION"
  if [ ! "$t" -ef "$OKTA_BIN" ] && ! { [ -f "$t" ] && [ ! -L "$t" ] && cmp -s "$t" "$OKTA_BIN"; }; then
    mkdir -p "$d"
    rm -f "$t"
    ln "$OKTA_BIN" "$t" 2>/dev/null || cp "$OKTA_BIN" "$t"
    chmod 0755 "$t"
    CHANGED=1
  fi
done

# CLI config: filesystem mirror only. No `direct` block (offline: every other provider fails fast), no plugin_cache_dir.
cfg_tmp="$CLI_CONFIG.tmp.$$"
cat >"$cfg_tmp" <<EOF
# Generated by scripts/engine.sh. Offline provider installation for qlik-okta-iac: okta/okta $OKTA_VERSION comes from
# the filesystem mirror below; there is deliberately no direct block, so any other provider fails at init.
disable_checkpoint = true

provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.terraform.io/okta/okta", "registry.opentofu.org/okta/okta"]
  }
}
EOF
if cmp -s "$cfg_tmp" "$CLI_CONFIG"; then rm -f "$cfg_tmp"; else
  mv -f "$cfg_tmp" "$CLI_CONFIG"
  CHANGED=1
fi

# ---------------------------------------------------------------- engine ----------------------------------------------
PROBE_NAME="" PROBE_VERSION=""
probe() { # probe BIN: sets PROBE_NAME (tofu|terraform) and PROBE_VERSION, or returns 1
  local out first
  PROBE_NAME="" PROBE_VERSION=""
  [ -x "$1" ] || return 1
  out=$(cd "$ENGINE_DIR" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE="$CLI_CONFIG" "$1" version </dev/null 2>/dev/null) || return 1
  first=$(printf '%s\n' "$out" | grep -E '^(OpenTofu|Terraform) v[0-9]' | head -n1 || true)
  case "$first" in
    OpenTofu\ v*) PROBE_NAME=tofu ;;
    Terraform\ v*) PROBE_NAME=terraform ;;
    *) return 1 ;;
  esac
  PROBE_VERSION=$(printf '%s' "$first" | sed -E 's/^[A-Za-z]+ v([0-9]+\.[0-9]+\.[0-9]+[^ ]*).*/\1/')
}

min_ok() { # min_ok NAME VERSION
  if [ "$1" = tofu ]; then version_ge "$2" "$MIN_TOFU"; else version_ge "$2" "$MIN_TERRAFORM"; fi
}

TOFU_REASON=""
build_tofu() {
  local b tmp="" hcl upstream mism rc=0
  TOFU_REASON=$(go_missing_reason "$TOFU_GO_MIN" "OpenTofu v$TOFU_VERSION")
  if [ -n "$TOFU_REASON" ]; then
    case "$TOFU_REASON" in *older*) TOFU_REASON="$TOFU_REASON (set GOTOOLCHAIN to an approved newer Go)" ;; esac
    return 1
  fi
  b="$TOFU_DIR/build"
  mkdir -p "$TOFU_DIR" "$LOG_DIR"
  rm -rf "$b"
  mkdir -p "$b"
  # Wrapper module (route B): OpenTofu's go.mod has a replace, so `go install …@v1.12.6` is refused; a main module
  # carrying the same replace and godebug settings builds the released cmd/tofu from the Go module proxy.
  cat >"$b/go.mod" <<EOF
module qlikoktaiac/tofubuild

go $TOFU_GO_MIN

godebug (
	tlsmlkem=0
	winsymlink=0
)

replace github.com/hashicorp/hcl/v2 => $HCL_REPLACE_TARGET
EOF
  log "tofu: building OpenTofu v$TOFU_VERSION from Go modules (about 5 min the first time, under a minute once Go's caches are warm; go $(go_version), GOPROXY $(go env GOPROXY)); log $LOG_DIR/tofu-build.log"
  {
    (cd "$b" && go get -tool "$TOFU_MODULE/cmd/tofu@v$TOFU_VERSION") &&
      hcl=$(cd "$b" && go list -m github.com/hashicorp/hcl/v2) && echo "hcl: $hcl" &&
      case "$hcl" in *"=> github.com/opentofu/hcl/v2"*) true ;; *) echo "error: hcl/v2 is not replaced by opentofu/hcl/v2" && false ;; esac &&
      tmp="$TOFU_BIN.tmp.$$" &&
      (cd "$b" && go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tmp" "$TOFU_MODULE/cmd/tofu")
  } >"$LOG_DIR/tofu-build.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    TOFU_REASON="the Go build failed: $(grep -v '^go: downloading' "$LOG_DIR/tofu-build.log" | grep -E 'not available|error|Error|go: ' | head -n1 | tr '\t' ' ' || true) (see $LOG_DIR/tofu-build.log)"
    rm -f "${tmp:-}"
    return 1
  fi
  # Reproducibility check: the wrapper should select exactly the versions OpenTofu's own go.mod requires.
  upstream="$(go env GOMODCACHE)/cache/download/$TOFU_MODULE/@v/v$TOFU_VERSION.mod"
  if [ -f "$upstream" ]; then
    mism=$(cd "$b" && go list -m -f '{{.Path}} {{.Version}}' all 2>/dev/null |
      awk 'NR==FNR { if ($0 ~ /^require \(/) r=1; else if (r && $0 ~ /^\)/) r=0; else if (r && NF>=2) up[$1]=$2; else if ($1=="require" && NF>=3) up[$2]=$3; next }
           ($1 in up) && up[$1] != $2 { printf "%s upstream %s wrapper %s; ", $1, up[$1], $2 }' "$upstream" -)
    if [ -n "$mism" ]; then log "tofu: warning: wrapper selected versions differ from upstream go.mod: $mism"; else log "tofu: wrapper module selects the same versions as OpenTofu v$TOFU_VERSION's go.mod"; fi
  fi
  if ! probe "$tmp" || [ "$PROBE_NAME" != tofu ] || [ "$PROBE_VERSION" != "$TOFU_VERSION" ]; then
    TOFU_REASON="the built binary reports '${PROBE_NAME:-?} ${PROBE_VERSION:-?}', not OpenTofu v$TOFU_VERSION"
    rm -f "$tmp"
    return 1
  fi
  mv -f "$tmp" "$TOFU_BIN"
  CHANGED=1
  log "tofu: built $TOFU_BIN"
}

from_path() { # from_path NAME: sets ENGINE_BIN if NAME on PATH is a new-enough engine of that kind
  local p
  p=$(command -v "$1" 2>/dev/null) || return 1
  case "$p" in /*) ;; *) p="$(pwd -P)/$p" ;; esac
  if probe "$p" && [ "$PROBE_NAME" = "$1" ] && min_ok "$PROBE_NAME" "$PROBE_VERSION"; then
    ENGINE_BIN=$p ENGINE_SOURCE=PATH
    return 0
  fi
  log "$1 on PATH ($p) is unusable: '${PROBE_NAME:-no version output} ${PROBE_VERSION}' (need OpenTofu >= $MIN_TOFU or Terraform >= $MIN_TERRAFORM)"
  return 1
}

ENGINE_BIN="" ENGINE_SOURCE=""
if [ -n "${TF_BINARY:-}" ]; then
  bin=$TF_BINARY
  case "$bin" in */*) ;; *) bin=$(command -v "$bin" 2>/dev/null) || die "TF_BINARY=$TF_BINARY is not found on PATH." ;; esac
  case "$bin" in /*) ;; *) bin="$(pwd -P)/$bin" ;; esac
  probe "$bin" || die "TF_BINARY=$TF_BINARY does not run '$bin version' successfully (or prints no 'OpenTofu vX.Y.Z'/'Terraform vX.Y.Z' line). Unset TF_BINARY to use the cached OpenTofu v$TOFU_VERSION, or point it at a working tofu/terraform binary."
  min_ok "$PROBE_NAME" "$PROBE_VERSION" || die "TF_BINARY=$TF_BINARY is $PROBE_NAME $PROBE_VERSION; this project needs OpenTofu >= $MIN_TOFU or Terraform >= $MIN_TERRAFORM."
  [ "$WANT" = auto ] || [ "$WANT" = "$PROBE_NAME" ] || log "warning: QLIK_OKTA_ENGINE=$WANT but TF_BINARY is $PROBE_NAME; TF_BINARY wins"
  ENGINE_BIN=$bin ENGINE_SOURCE=TF_BINARY
elif [ "$WANT" = terraform ]; then
  from_path terraform || die "QLIK_OKTA_ENGINE=terraform, but no usable terraform (>= $MIN_TERRAFORM) is on PATH. Install Terraform, set TF_BINARY=/path/to/terraform, or unset QLIK_OKTA_ENGINE to use OpenTofu v$TOFU_VERSION."
else
  if [ "$REFRESH" != "1" ] && probe "$TOFU_BIN" && [ "$PROBE_NAME" = tofu ] && [ "$PROBE_VERSION" = "$TOFU_VERSION" ]; then
    ENGINE_BIN=$TOFU_BIN ENGINE_SOURCE=cache
  elif [ "$PREFER_INSTALLED" = 1 ] && { from_path tofu || { [ "$WANT" = auto ] && from_path terraform; }; }; then
    log "$PROBE_NAME $PROBE_VERSION is on PATH: using it instead of building OpenTofu v$TOFU_VERSION (--prefer-installed)"
  elif build_tofu && probe "$TOFU_BIN"; then
    ENGINE_BIN=$TOFU_BIN ENGINE_SOURCE=cache
  else
    log "tofu: cannot build OpenTofu v$TOFU_VERSION: $TOFU_REASON; falling back to PATH"
    if from_path tofu; then :
    elif [ "$WANT" = auto ] && from_path terraform; then :
    else
      die "no engine. OpenTofu v$TOFU_VERSION could not be built from Go modules ($TOFU_REASON), and no usable $([ "$WANT" = auto ] && echo "tofu (>= $MIN_TOFU) or terraform (>= $MIN_TERRAFORM)" || echo "tofu (>= $MIN_TOFU)") is on PATH. Install Go >= $TOFU_GO_MIN with access to a Go module proxy that serves $TOFU_MODULE@v$TOFU_VERSION, or install OpenTofu/Terraform, or set TF_BINARY=/path/to/tofu."
    fi
  fi
  probe "$ENGINE_BIN"
fi
ENGINE_NAME=$PROBE_NAME ENGINE_VERSION=$PROBE_VERSION

# ---------------------------------------------------------------- smoke test (once per engine + provider) -------------
key="$ENGINE_BIN|$ENGINE_VERSION|$(sed -n 's/^sha256: //p' "$OKTA_STAMP" | head -n1)|$(cksum <"$CLI_CONFIG" | cut -d' ' -f1)"
if ! grep -Fxq "$key" "$VERIFIED" 2>/dev/null; then
  smoke=$(mktemp -d)
  printf '%s\n' '{"terraform":{"required_providers":{"okta":{"source":"okta/okta","version":"'"$OKTA_VERSION"'"}}}}' >"$smoke/main.tf.json"
  if ! out=$(cd "$smoke" && CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0 TF_CLI_CONFIG_FILE="$CLI_CONFIG" TF_PLUGIN_CACHE_DIR= \
    "$ENGINE_BIN" init -input=false -no-color -backend=false 2>&1); then
    rm -rf "$smoke"
    die "offline '$ENGINE_NAME init' through the mirror failed for okta/okta $OKTA_VERSION: $(printf '%s\n' "$out" | grep -m1 -A2 'Error:' | tr '\n' ' ')"
  fi
  rm -rf "$smoke"
  printf '%s\n' "$key" >>"$VERIFIED"
  CHANGED=1
  log "verified: offline $ENGINE_NAME init installs okta/okta $OKTA_VERSION from $MIRROR"
fi

# ---------------------------------------------------------------- pulumi (CLI + our okta resource plugin) ------------
# Optional: a failure here never stops the Terraform exports; it is logged and QLIK_OKTA_PULUMI_UNAVAILABLE says why.
PULUMI_VERSION=3.276.0
PULUMI_CLI_PKG=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
PULUMI_VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version
PULUMI_DIR="$ENGINE_DIR/pulumi-$PULUMI_VERSION"
PULUMI_BIN_DIR="$PULUMI_DIR/bin"
PULUMI_CLI="$PULUMI_BIN_DIR/pulumi"
PULUMI_PLUGIN="$PULUMI_BIN_DIR/pulumi-resource-okta"
PULUMI_STAMP="$PULUMI_DIR/SOURCE"
PULUMI_CLI_MOD="$PROJECT_DIR/scripts/pulumi/cli"
PULUMI_PLUGIN_MOD="$PROJECT_DIR/scripts/pulumi/okta-plugin"
PULUMI_WANT="${QLIK_OKTA_PULUMI:-1}" # 0: neither build nor export the Pulumi engine
PULUMI_REASON="" PULUMI_CHANGED=0

sha256_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1 || shasum -a 256 "$1" | cut -d' ' -f1; }
# mod_inputs DIR: one hash over the committed files of a wrapper module (rebuild when any of them changes).
mod_inputs() {
  (cd "$1" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort |
    while IFS= read -r f; do printf '%s %s\n' "$f" "$(sha256_of "$f")"; done) | { sha256sum 2>/dev/null || shasum -a 256; } | cut -d' ' -f1
}
mod_go_min() { sed -n 's/^go[[:space:]]\{1,\}\([0-9][0-9.]*\).*/\1/p' "$1/go.mod" | head -n1; }
stamp_get() { sed -n "s/^$1: //p" "$PULUMI_STAMP" 2>/dev/null | head -n1; }
pulumi_env() { env PULUMI_HOME="$PULUMI_DIR/.home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_CONVERT=0 "$@"; }
cli_version_of() { pulumi_env "$1" version </dev/null 2>/dev/null | head -n1; }
plugin_version_of() { "$1" -version </dev/null 2>/dev/null | head -n1; }
# first_go_error LOG: the first line of a Go build log that says what went wrong.
first_go_error() { grep -v '^go: downloading' "$1" | grep -m1 -E 'not available|[Ee]rror|go: |40[34]|cannot|undefined' | tr '\t' ' ' || true; }

# build_pulumi_cli: the released cmd/pulumi v3.276.0 from the Go module proxy through the wrapper module
# scripts/pulumi/cli (pkg/v3's replace lines; `go install …@v3.276.0` is refused because of them).
build_pulumi_cli() {
  local why b tmp rc=0 lg="$LOG_DIR/pulumi-cli-build.log"
  why=$(go_missing_reason "$(mod_go_min "$PULUMI_CLI_MOD")" "the Pulumi CLI v$PULUMI_VERSION")
  if [ -n "$why" ]; then
    PULUMI_REASON="cannot build the Pulumi CLI: $why"
    return 1
  fi
  mkdir -p "$PULUMI_BIN_DIR" "$LOG_DIR"
  b=$(mktemp -d "$PULUMI_DIR/build-cli.XXXXXX")
  cp "$PULUMI_CLI_MOD/go.mod" "$PULUMI_CLI_MOD/go.sum" "$b/"
  tmp="$PULUMI_CLI.tmp.$$"
  log "pulumi: building the Pulumi CLI v$PULUMI_VERSION from Go modules (about 3 min the first time, about 15 s once Go's caches are warm; go $(go_version)); log $lg"
  (cd "$b" && go build -mod=readonly -trimpath -ldflags "-s -w -X $PULUMI_VERSION_VAR=v$PULUMI_VERSION" -o "$tmp" "$PULUMI_CLI_PKG") >"$lg" 2>&1 || rc=$?
  rm -rf "$b"
  accept_build "$rc" "$tmp" "$PULUMI_CLI" "$lg" "the Pulumi CLI" "v$PULUMI_VERSION" cli_version_of || return 1
  PULUMI_CLI_RECORD="go-proxy $PULUMI_CLI_PKG@v$PULUMI_VERSION (wrapper module scripts/pulumi/cli)"
  PULUMI_CHANGED=1
  log "pulumi: built $PULUMI_CLI"
}

# accept_build RC TMP DEST LOG WHAT WANT VERSION_FN: a build's outcome. A failed build, or a binary that does not report
# the version it must, is dropped with the reason in PULUMI_REASON (return 1); a good one is moved to DEST.
accept_build() {
  local rc=$1 tmp=$2 dest=$3 lg=$4 what=$5 want=$6 version_fn=$7 got
  if [ "$rc" -ne 0 ] || [ ! -x "$tmp" ]; then
    PULUMI_REASON="the $what build failed: $(first_go_error "$lg") (see $lg)"
    rm -f "$tmp"
    return 1
  fi
  got=$("$version_fn" "$tmp")
  if [ "$got" != "$want" ]; then
    PULUMI_REASON="the built $what reports '${got:-nothing}', not $want"
    rm -f "$tmp"
    return 1
  fi
  mv -f "$tmp" "$dest"
}

# build_okta_plugin SRC: our bridged plugin (scripts/pulumi/okta-plugin) against the okta provider source SRC. The
# module is copied to a build directory whose replace points at SRC (SRC is only read); pulumi-tfgen-okta writes the
# schema there (PULUMI_CONVERT=0: no example conversion, nothing downloaded) and pulumi-resource-okta embeds it.
build_okta_plugin() {
  local src=$1 why b tmp rc=0 lg="$LOG_DIR/pulumi-okta-plugin-build.log"
  why=$(go_missing_reason "$(mod_go_min "$PULUMI_PLUGIN_MOD")" "the okta resource plugin")
  if [ -n "$why" ]; then
    PULUMI_REASON="cannot build pulumi-resource-okta: $why"
    return 1
  fi
  mkdir -p "$PULUMI_BIN_DIR" "$LOG_DIR"
  b=$(mktemp -d "$PULUMI_DIR/build-okta-plugin.XXXXXX")
  cp -R "$PULUMI_PLUGIN_MOD/." "$b/"
  chmod -R u+w "$b"
  rm -f "$b/cmd/pulumi-resource-okta/schema.json"
  tmp="$PULUMI_PLUGIN.tmp.$$"
  log "pulumi: building pulumi-resource-okta $OKTA_VERSION (pulumi-terraform-bridge) from $src (about 2 min the first time, about 10 s once Go's caches are warm); log $lg"
  {
    (cd "$b" && go mod edit -replace "$OKTA_MODULE=$src") &&
      (cd "$b" && go build -mod=readonly -trimpath -o "$b/pulumi-tfgen-okta" ./cmd/pulumi-tfgen-okta) &&
      mkdir -p "$b/schema" &&
      (cd "$b/schema" && pulumi_env "$b/pulumi-tfgen-okta" schema --out "$b/schema") &&
      cp "$b/schema/schema.json" "$b/cmd/pulumi-resource-okta/schema.json" &&
      (cd "$b" && go build -mod=readonly -trimpath -ldflags "-s -w" -o "$tmp" ./cmd/pulumi-resource-okta)
  } >"$lg" 2>&1 || rc=$?
  rm -rf "$b"
  accept_build "$rc" "$tmp" "$PULUMI_PLUGIN" "$lg" "pulumi-resource-okta" "$OKTA_VERSION" plugin_version_of || return 1
  PULUMI_PLUGIN_RECORD="bridge-build scripts/pulumi/okta-plugin (pulumi-terraform-bridge v3.120.0) of $src ($OKTA_MODULE v$OKTA_VERSION)"
  PULUMI_CHANGED=1
  log "pulumi: built $PULUMI_PLUGIN"
}

PULUMI_CLI_RECORD="" PULUMI_PLUGIN_RECORD=""
provision_pulumi() {
  local cli_in plugin_in src bad cli_ok=0 plugin_ok=0
  cli_in=$(mod_inputs "$PULUMI_CLI_MOD" 2>/dev/null) || cli_in=""
  plugin_in=$(mod_inputs "$PULUMI_PLUGIN_MOD" 2>/dev/null) || plugin_in=""
  if [ ! -f "$PULUMI_CLI_MOD/go.mod" ] || [ ! -f "$PULUMI_PLUGIN_MOD/go.mod" ]; then
    PULUMI_REASON="the wrapper modules scripts/pulumi/cli and scripts/pulumi/okta-plugin are missing from $PROJECT_DIR"
    return 1
  fi
  # The plugin is built from the same provider source as the Terraform route (never written to): OKTA_PROVIDER_SOURCE,
  # else the default copy next to the project (OKTA_PROVIDER_BINARY, a prebuilt Terraform binary, does not matter here).
  src=${OKTA_PROVIDER_SOURCE:-}
  if [ -z "$src" ] && [ -d "$DEFAULT_OKTA_SOURCE" ]; then src=$DEFAULT_OKTA_SOURCE; fi
  if [ -n "$src" ]; then
    src=$(cd "$src" 2>/dev/null && pwd -P) || src=${OKTA_PROVIDER_SOURCE:-$DEFAULT_OKTA_SOURCE}
    bad=$(check_okta_source "$src")
  else
    bad="no source checkout: OKTA_PROVIDER_SOURCE is unset and $DEFAULT_OKTA_SOURCE does not exist"
  fi

  # Cached: the binary answers with the right version and was built from the same committed inputs (and source).
  local cli_here=0 plugin_here=0
  if [ -x "$PULUMI_CLI" ] && [ "$(cli_version_of "$PULUMI_CLI")" = "v$PULUMI_VERSION" ]; then cli_here=1; fi
  if [ -x "$PULUMI_PLUGIN" ] && [ "$(plugin_version_of "$PULUMI_PLUGIN")" = "$OKTA_VERSION" ]; then plugin_here=1; fi
  if [ "$REFRESH" != "1" ] && [ "$cli_here" = 1 ] && [ "$(stamp_get cli-inputs)" = "$cli_in" ]; then
    cli_ok=1
    PULUMI_CLI_RECORD=$(stamp_get cli)
  fi
  if [ "$REFRESH" != "1" ] && [ "$plugin_here" = 1 ] && [ "$(stamp_get okta-plugin-inputs)" = "$plugin_in" ] &&
    { [ -n "$bad" ] || [ "$(stamp_get okta-plugin-source)" = "$src" ]; }; then
    plugin_ok=1
    PULUMI_PLUGIN_RECORD=$(stamp_get okta-plugin)
  fi
  if [ "$cli_ok" = 1 ] && [ "$plugin_ok" = 1 ]; then return 0; fi
  if [ "$PREFER_INSTALLED" = 1 ]; then
    PULUMI_REASON="not built under --prefer-installed (the demo needs no Pulumi); run scripts/engine.sh without it"
    return 1
  fi
  # Build what is missing or stale; a binary that cannot be rebuilt but reports the right version is kept as is.
  if [ "$cli_ok" != 1 ] && ! build_pulumi_cli; then
    [ "$cli_here" = 1 ] || return 1
    log "pulumi: keeping $PULUMI_CLI (it reports v$PULUMI_VERSION) although it could not be rebuilt: $PULUMI_REASON"
    PULUMI_CLI_RECORD="pre-placed $PULUMI_CLI (not rebuilt: $PULUMI_REASON)" PULUMI_REASON="" PULUMI_CHANGED=1
    cli_in="none (pre-placed: retried on every run)"
  fi
  if [ "$plugin_ok" != 1 ]; then
    if [ -n "$bad" ]; then
      PULUMI_REASON="pulumi-resource-okta needs the okta provider's source: $bad"
      false
    else
      build_okta_plugin "$src"
    fi || {
      [ "$plugin_here" = 1 ] || return 1
      log "pulumi: keeping $PULUMI_PLUGIN (it reports $OKTA_VERSION) although it could not be rebuilt: $PULUMI_REASON"
      PULUMI_PLUGIN_RECORD="pre-placed $PULUMI_PLUGIN (not rebuilt: $PULUMI_REASON)" PULUMI_REASON="" PULUMI_CHANGED=1
      plugin_in="none (pre-placed: retried on every run)" src=""
    }
  fi
  {
    printf 'cli: %s\n' "$PULUMI_CLI_RECORD"
    printf 'cli-inputs: %s\n' "$cli_in"
    printf 'cli-sha256: %s\n' "$(sha256_of "$PULUMI_CLI")"
    printf 'okta-plugin: %s\n' "$PULUMI_PLUGIN_RECORD"
    printf 'okta-plugin-source: %s\n' "$src"
    printf 'okta-plugin-inputs: %s\n' "$plugin_in"
    printf 'okta-plugin-sha256: %s\n' "$(sha256_of "$PULUMI_PLUGIN")"
    printf 'date: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    if have go; then
      go version -m "$PULUMI_CLI" 2>/dev/null | sed -n '1,2p' | sed 's/^/cli-buildinfo: /' || true
      go version -m "$PULUMI_PLUGIN" 2>/dev/null | sed -n '1,2p' | sed 's/^/okta-plugin-buildinfo: /' || true
    fi
  } >"$PULUMI_STAMP.tmp" && mv -f "$PULUMI_STAMP.tmp" "$PULUMI_STAMP"
}

PULUMI_OK=0
if [ "$PULUMI_WANT" = 0 ]; then
  PULUMI_REASON="QLIK_OKTA_PULUMI=0"
elif provision_pulumi; then
  PULUMI_OK=1
  [ "$PULUMI_CHANGED" = 0 ] || CHANGED=1
else
  log "pulumi: not available: $PULUMI_REASON. The Terraform engine is unaffected; the Pulumi tests skip (fail under CI=true). Ways out: install Go >= $(mod_go_min "$PULUMI_CLI_MOD") with a Go module proxy that serves github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION and github.com/pulumi/pulumi-terraform-bridge/v3@v3.120.0, keep OKTA_PROVIDER_SOURCE (or $DEFAULT_OKTA_SOURCE) a checkout of $OKTA_MODULE v$OKTA_VERSION, or copy pulumi v$PULUMI_VERSION and a pulumi-resource-okta reporting $OKTA_VERSION into $PULUMI_BIN_DIR yourself (plus a SOURCE saying so); then re-run (QLIK_OKTA_ENGINE_REFRESH=1 rebuilds)."
fi
if [ "$PULUMI_OK" = 1 ]; then
  PULUMI_SUMMARY="; pulumi v$PULUMI_VERSION + pulumi-resource-okta $OKTA_VERSION in $PULUMI_BIN_DIR"
else
  PULUMI_SUMMARY="; pulumi unavailable"
fi

elapsed=$(($(now_ms) - START_MS))
if [ "$CHANGED" = 0 ]; then
  log "cached: $ENGINE_NAME $ENGINE_VERSION ($ENGINE_SOURCE) $ENGINE_BIN; okta/okta $OKTA_VERSION ($OKTA_SOURCE)$PULUMI_SUMMARY; ${elapsed} ms"
else
  log "ready: $ENGINE_NAME $ENGINE_VERSION ($ENGINE_SOURCE) $ENGINE_BIN; okta/okta $OKTA_VERSION ($OKTA_SOURCE)$PULUMI_SUMMARY; ${elapsed} ms"
fi

# The Pulumi line comes first: callers (and tests) read the Terraform settings as the last six lines.
if [ "$PULUMI_OK" = 1 ]; then
  echo "export QLIK_OKTA_PULUMI_BIN=$(shq "$PULUMI_BIN_DIR")"
else
  echo "export QLIK_OKTA_PULUMI_UNAVAILABLE=$(shq "$PULUMI_REASON")"
fi
echo "export TF_BINARY=$(shq "$ENGINE_BIN")"
echo "export TF_CLI_CONFIG_FILE=$(shq "$CLI_CONFIG")"
echo "export QLIK_OKTA_ENGINE_NAME=$(shq "$ENGINE_NAME")"
echo "export QLIK_OKTA_ENGINE_VERSION=$(shq "$ENGINE_VERSION")"
echo "export QLIK_OKTA_PROVIDER_MIRROR=$(shq "$MIRROR")"
echo "export QLIK_OKTA_PROVIDER_ORIGIN=$(shq "$OKTA_SOURCE")"
