#!/usr/bin/env bash
# scripts/tf-encryption.sh: print OpenTofu's state and plan encryption configuration, for the TF_ENCRYPTION variable.
#
#   export TF_STATE_PASSPHRASE='...'                      # >= 16 characters, from your secret store
#   export TF_ENCRYPTION="$(bash scripts/tf-encryption.sh)"
#
# The configuration goes through the environment, never into cdk.tf.json: Terraform would reject an encryption
# block, and the synthesized JSON stays the same for both engines. OpenTofu >= 1.7 only; HashiCorp Terraform cannot
# read the encrypted state. docs/state.md explains the choices and the recovery story; in short:
#
#   TF_STATE_PASSPHRASE            the passphrase (pbkdf2 key provider, aes_gcm method, state and plan, enforced)
#   TF_STATE_KEY_NAME              the key provider's name, stored in every encrypted file (default qlik_okta);
#                                  never rename it in place: rotate instead
#   TF_STATE_PASSPHRASE_PREVIOUS   rotation: the old passphrase, tried when the current one cannot decrypt
#   TF_STATE_KEY_NAME_PREVIOUS     rotation: the old key provider's name (required with the old passphrase, and
#                                  different from TF_STATE_KEY_NAME)
#   TF_STATE_MIGRATE_UNENCRYPTED=1 once, on existing plaintext state: read it unencrypted, write it encrypted
#                                  (without `enforced`, which forbids the unencrypted method)
#
# stdout: the HCL. Exit 1 with one line on stderr saying what is wrong. Never prints the passphrase anywhere else.
set -euo pipefail

die() {
  printf 'tf-encryption.sh: error: %s\n' "$*" >&2
  exit 1
}

# A passphrase goes inside an HCL string: refuse what would end or interpolate it rather than escape it silently.
check_passphrase() { # check_passphrase VAR VALUE
  [ -n "$2" ] || die "$1 is not set; put a passphrase of at least 16 characters there (e.g. from \`openssl rand -base64 32\`)."
  [ "${#2}" -ge 16 ] || die "$1 is ${#2} characters; OpenTofu's pbkdf2 key provider needs at least 16 (e.g. \`openssl rand -base64 32\`)."
  case "$2" in
    *'"'* | *'\'* | *'${'* | *'%{'* | *$'\n'* | *$'\r'*)
      die "$1 contains a double quote, backslash, newline, \"\${\" or \"%{\"; use letters, digits and + / = - _ . (e.g. \`openssl rand -base64 32\`)." ;;
  esac
}

check_name() { # check_name VAR VALUE
  [[ "$2" =~ ^[A-Za-z_][A-Za-z0-9_-]*$ ]] || die "$1=\"$2\" is not a valid name; use letters, digits, \"_\" and \"-\", starting with a letter."
}

pass=${TF_STATE_PASSPHRASE:-}
name=${TF_STATE_KEY_NAME:-qlik_okta}
previous=${TF_STATE_PASSPHRASE_PREVIOUS:-}
previous_name=${TF_STATE_KEY_NAME_PREVIOUS:-}
migrate=${TF_STATE_MIGRATE_UNENCRYPTED:-0}

check_passphrase TF_STATE_PASSPHRASE "$pass"
check_name TF_STATE_KEY_NAME "$name"
if [ -n "$previous" ]; then
  check_passphrase TF_STATE_PASSPHRASE_PREVIOUS "$previous"
  [ -n "$previous_name" ] || die "TF_STATE_PASSPHRASE_PREVIOUS needs TF_STATE_KEY_NAME_PREVIOUS: the key provider name the old files were written with (e.g. qlik_okta)."
  check_name TF_STATE_KEY_NAME_PREVIOUS "$previous_name"
  [ "$previous_name" != "$name" ] || die "TF_STATE_KEY_NAME and TF_STATE_KEY_NAME_PREVIOUS are both \"$name\"; give the new passphrase a new name (e.g. ${name}_2): encrypted files record the name they were written with."
elif [ -n "$previous_name" ]; then
  die "TF_STATE_KEY_NAME_PREVIOUS is set without TF_STATE_PASSPHRASE_PREVIOUS."
fi
case "$migrate" in 0 | 1) ;; *) die "TF_STATE_MIGRATE_UNENCRYPTED=$migrate; use 1 (read existing plaintext state once) or 0." ;; esac
# One fallback per target: a rotation and a migration from plaintext are two separate steps.
[ "$migrate" = 0 ] || [ -z "$previous" ] || die "TF_STATE_MIGRATE_UNENCRYPTED=1 and TF_STATE_PASSPHRASE_PREVIOUS are both set; finish the migration first, then rotate."

key_provider() { # key_provider NAME PASSPHRASE
  printf 'key_provider "pbkdf2" "%s" {\n  passphrase = "%s"\n}\n\n' "$1" "$2"
  printf 'method "aes_gcm" "%s" {\n  keys = key_provider.pbkdf2.%s\n}\n\n' "$1" "$1"
}

target() { # target state|plan
  printf '%s {\n  method   = method.aes_gcm.%s\n' "$1" "$name"
  # enforced forbids the unencrypted method, so it waits until the migration run is done.
  if [ "$migrate" = 0 ]; then printf '  enforced = true\n'; fi
  if [ -n "$previous" ]; then printf '  fallback {\n    method = method.aes_gcm.%s\n  }\n' "$previous_name"; fi
  if [ "$migrate" = 1 ]; then printf '  fallback {\n    method = method.unencrypted.migrate\n  }\n'; fi
  printf '}\n'
}

key_provider "$name" "$pass"
if [ -n "$previous" ]; then key_provider "$previous_name" "$previous"; fi
if [ "$migrate" = 1 ]; then printf 'method "unencrypted" "migrate" {}\n\n'; fi
target state
printf '\n'
target plan
