/**
 * The emulator's IdP store: creation defaults, atomic JSON-Patch application with Qlik's state rules, verification,
 * pagination cursors, the QLIK-IDP-POPTS hash and the redacted read model.
 *
 * Choices where Qlik's documentation is silent or not verified against a real tenant (documented here):
 * - Read model: `clientSecret` is OMITTED from `options` and `pendingOptions` in every response (GET, list, POST).
 *   `useClaimsFromIdToken` and `idTokenSignatureAlg` are echoed back as sent. Nothing else is defaulted inside
 *   options (the per-provider `scope` default is undocumented), so what you send is what you read.
 * - Create with `options` + `skipVerify: true` stores `options` with `active: false`; activation is a separate
 *   PATCH `/active`. `promote-options` does not activate either.
 * - `/active: true` needs live `options` and no other active interactive IdP (400 "invalid state transition").
 * - Only the active interactive IdP is undeletable; inactive ones delete straight away.
 * - `replace /options` is allowed whenever the path is valid (also on an IdP that has only pendingOptions).
 */
import { randomBytes } from "node:crypto";
import type { CreateOIDCPayload, IDP, IDPOIDC, IDPsStatus, PendingResult } from "@qlik/api/identity-providers";
import { sha256 } from "../../hash";
import { canonicalJson } from "../../json";
import { idpNotFound, invalidStateTransition, invalidQuery, preconditionFailed } from "./errors";
import type { EmulatorOidcOptions, PatchOp } from "./validate";
import { isPlainObject } from "./validate";
import type { VerificationOutcome } from "./types";

export type IdpDoc = Omit<IDPOIDC, "id" | "options" | "pendingOptions"> & {
  id: string;
  options?: EmulatorOidcOptions;
  pendingOptions?: EmulatorOidcOptions;
};

interface Entry {
  readonly seq: number;
  doc: IdpDoc;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Deterministic uuid-formatted hash of a pendingOptions object (independent of key order). */
export function poptsHash(pendingOptions: unknown): string {
  const h = sha256(canonicalJson(pendingOptions));
  const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What GET/list/POST return: a deep copy without any clientSecret. */
export function readModel(doc: IdpDoc): IDP {
  const out = clone(doc);
  if (out.options) delete out.options.clientSecret;
  if (out.pendingOptions) delete out.pendingOptions.clientSecret;
  return out as IDP;
}

/** Opaque list cursors: base64url JSON carrying the boundary sequence number. */
export function encodeCursor(direction: "after" | "before", seq: number): string {
  return Buffer.from(JSON.stringify({ d: direction === "after" ? "a" : "b", s: seq })).toString("base64url");
}

export function decodeCursor(param: "next" | "prev", value: string): { direction: "after" | "before"; seq: number } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (isPlainObject(parsed) && Number.isInteger(parsed.s)) {
      const expected = param === "next" ? "a" : "b";
      if (parsed.d === expected) return { direction: parsed.d === "a" ? "after" : "before", seq: parsed.s as number };
    }
  } catch {
    /* fall through */
  }
  throw invalidQuery(param, `invalid ${param} cursor`);
}

/** Resolve a claim reference: plain top-level claim name, or an RFC 6901 JSON pointer. */
function resolveClaim(claims: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith("/")) return claims[ref];
  let cur: unknown = claims;
  for (const raw of ref.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isPlainObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function mapClaims(mapping: Record<string, string[] | undefined> | undefined, claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, refs] of Object.entries(mapping ?? {})) {
    for (const ref of refs ?? []) {
      const value = resolveClaim(claims, ref);
      if (value !== undefined) {
        out[key] = value;
        break;
      }
    }
  }
  return out;
}

export interface ListQuery {
  readonly active?: boolean;
  readonly limit: number;
  readonly cursor?: { direction: "after" | "before"; seq: number };
}

export interface ListPage {
  readonly data: IDP[];
  readonly nextCursor?: string;
  readonly prevCursor?: string;
}

export class IdpStore {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  constructor(private readonly tenantId: string) {}

  private now(): string {
    return new Date().toISOString();
  }

  private newId(): string {
    let id: string;
    do id = randomBytes(12).toString("hex");
    while (this.entries.has(id));
    return id;
  }

  /** Seeds are stored as given; only `id`, `tenantIds`, `created` and `lastUpdated` are filled in when missing. */
  seed(raw: Record<string, unknown>): IdpDoc {
    const doc = clone(raw) as Partial<IdpDoc>;
    const now = this.now();
    const full = {
      ...doc,
      id: typeof doc.id === "string" ? doc.id : this.newId(),
      tenantIds: doc.tenantIds ?? [this.tenantId],
      created: doc.created ?? now,
      lastUpdated: doc.lastUpdated ?? now,
    } as IdpDoc;
    if (this.entries.has(full.id)) throw new Error(`duplicate seed IdP id ${full.id}`);
    this.entries.set(full.id, { seq: ++this.seq, doc: full });
    return full;
  }

  create(payload: CreateOIDCPayload): IdpDoc {
    const now = this.now();
    const doc: IdpDoc = {
      id: this.newId(),
      tenantIds: [this.tenantId],
      protocol: payload.protocol,
      provider: payload.provider,
      interactive: payload.interactive,
      active: false,
    };
    if (payload.description !== undefined) doc.description = payload.description;
    doc.clockToleranceSec = payload.clockToleranceSec ?? 5;
    doc.createNewUsersOnLogin = payload.createNewUsersOnLogin ?? true;
    if (payload.postLogoutRedirectUri !== undefined) doc.postLogoutRedirectUri = payload.postLogoutRedirectUri;
    doc.meta = {};
    if (payload.options) doc.options = clone(payload.options) as EmulatorOidcOptions;
    if (payload.pendingOptions) {
      doc.pendingOptions = clone(payload.pendingOptions);
      doc.pendingState = "pending";
      doc.pendingResult = { status: "pending" };
    }
    doc.created = now;
    doc.lastUpdated = now;
    this.entries.set(doc.id, { seq: ++this.seq, doc });
    return doc;
  }

  get(id: string): IdpDoc | undefined {
    return this.entries.get(id)?.doc;
  }

  require(id: string): IdpDoc {
    const doc = this.get(id);
    if (!doc) throw idpNotFound(id);
    return doc;
  }

  all(): IdpDoc[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq).map((e) => e.doc);
  }

  list(q: ListQuery): ListPage {
    const rows = [...this.entries.values()]
      .filter((e) => q.active === undefined || (e.doc.active === true) === q.active)
      .sort((a, b) => a.seq - b.seq);
    let start: number;
    let end: number;
    if (q.cursor?.direction === "before") {
      const cut = q.cursor.seq;
      end = rows.filter((e) => e.seq < cut).length;
      start = Math.max(0, end - q.limit);
    } else {
      const cut = q.cursor?.seq;
      start = cut === undefined ? 0 : rows.filter((e) => e.seq <= cut).length;
      end = Math.min(rows.length, start + q.limit);
    }
    const page = rows.slice(start, end);
    const first = page[0];
    const last = page[page.length - 1];
    return {
      data: page.map((e) => readModel(e.doc)),
      nextCursor: end < rows.length && last ? encodeCursor("after", last.seq) : undefined,
      prevCursor: start > 0 && first ? encodeCursor("before", first.seq) : undefined,
    };
  }

  status(): IDPsStatus {
    const docs = this.all();
    return {
      active_interactive_idps_count: docs.filter((d) => d.active === true && d.interactive === true).length,
      idps_metadata: docs.map((d) => ({ active: d.active === true, interactive: d.interactive === true, provider: d.provider })),
    };
  }

  private activeInteractiveOtherThan(id: string): IdpDoc | undefined {
    return this.all().find((d) => d.id !== id && d.active === true && d.interactive === true);
  }

  /**
   * Apply already shape-validated ops atomically: they run in order on a copy, and the copy replaces the stored
   * document only if every op succeeded. `poptsMatch` is the QLIK-IDP-POPTS-MATCH request header.
   */
  patch(id: string, ops: readonly PatchOp[], poptsMatch: string | undefined): void {
    const entry = this.entries.get(id);
    if (!entry) throw idpNotFound(id);
    const doc = clone(entry.doc);
    const markPending = (): void => {
      doc.pendingState = "pending";
      doc.pendingResult = { status: "pending" };
    };
    for (const op of ops) {
      const at = `/${op.index}`;
      if (op.op === "promote-options") {
        if (!doc.pendingOptions) throw invalidStateTransition("there are no pending options to promote", `${at}/op`);
        const current = poptsHash(doc.pendingOptions);
        if (poptsMatch === undefined)
          throw preconditionFailed("the QLIK-IDP-POPTS-MATCH header is required to promote options; send the QLIK-IDP-POPTS value from the latest GET");
        if (poptsMatch.trim().toLowerCase() !== current)
          throw preconditionFailed("QLIK-IDP-POPTS-MATCH does not match the current pending options; re-read QLIK-IDP-POPTS and retry");
        if (doc.pendingState !== "verified")
          throw invalidStateTransition(`pending options have not been verified (pendingState is ${String(doc.pendingState)})`, `${at}/op`);
        doc.options = doc.pendingOptions;
        delete doc.pendingOptions;
        delete doc.pendingState;
        delete doc.pendingResult;
        continue;
      }
      const { path, value } = op;
      const [, head, field] = path.split("/") as [string, string, string | undefined];
      if (path === "/active") {
        if (value === true && doc.active !== true) {
          if (doc.interactive === true && !doc.options)
            throw invalidStateTransition(
              "the IdP has no verified options to activate; verify and promote pendingOptions (or create it with options and skipVerify) first",
              `${at}/value`,
            );
          const other = doc.interactive === true ? this.activeInteractiveOtherThan(doc.id) : undefined;
          if (other)
            throw invalidStateTransition(
              `only one interactive identity provider can be active; deactivate ${other.id} first`,
              `${at}/value`,
            );
        }
        doc.active = value as boolean;
      } else if (head === "options" || head === "pendingOptions") {
        if (field === undefined) {
          doc[head] = clone(value) as EmulatorOidcOptions;
        } else {
          const target = doc[head];
          if (!target)
            throw invalidStateTransition(`the IdP has no ${head}; replace /${head} as a whole first`, `${at}/path`);
          (target as Record<string, unknown>)[field] = clone(value);
        }
        if (head === "pendingOptions") markPending();
      } else {
        (doc as Record<string, unknown>)[head] = clone(value);
      }
    }
    doc.lastUpdated = this.now();
    entry.doc = doc;
  }

  delete(id: string): void {
    const doc = this.require(id);
    if (doc.active === true && doc.interactive === true)
      throw invalidStateTransition("The interactive IdP for the tenant can't be deleted; deactivate it first (PATCH /active false)");
    this.entries.delete(id);
  }

  completeVerification(id: string, outcome: VerificationOutcome): void {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`completeVerification: no identity provider ${id}`);
    const doc = entry.doc;
    const po = doc.pendingOptions;
    if (!po) throw new Error(`completeVerification: identity provider ${id} has no pendingOptions to verify`);
    const issuer = po.discoveryUrl?.replace(/\/\.well-known\/openid-configuration$/, "") ?? po.openid_configuration?.issuer;
    const idpClaims: Record<string, unknown> = {
      iss: issuer,
      aud: po.clientId,
      sub: "00u1emulatoradmin0x7",
      name: "Emulated Admin",
      email: "admin@example.com",
      email_verified: true,
      groups: ["Everyone", "Qlik Admins"],
      locale: "en-US",
      zoneinfo: "America/Los_Angeles",
    };
    const resultantClaims = mapClaims(po.claimsMapping as Record<string, string[] | undefined>, idpClaims);
    const started = new Date().toISOString();
    let result: PendingResult;
    if (outcome === "success") {
      result = { status: "success", started, protocol: "OIDC", idpClaims, resultantClaims };
    } else if (outcome === "claimsError") {
      delete resultantClaims.sub;
      result = {
        status: "claimsError",
        error: "the subject claim could not be resolved from the claims returned by the identity provider",
        started,
        protocol: "OIDC",
        idpClaims,
        resultantClaims,
      };
    } else {
      result = {
        status: "tokenError",
        error: "the identity provider rejected the token request",
        started,
        protocol: "OIDC",
        oauth2Error: { error: "invalid_client", errorDescription: "Client authentication failed." },
      };
    }
    entry.doc = { ...doc, pendingState: outcome === "success" ? "verified" : "error", pendingResult: result, lastUpdated: started };
  }

  raw(): Record<string, unknown>[] {
    return this.all().map((d) => clone(d) as Record<string, unknown>);
  }
}

/** Parse the list route's query (limit 1–100, active true|false, next/prev cursors; unknown parameters ignored). */
export function parseListQuery(params: URLSearchParams, defaultLimit: number): ListQuery {
  let limit = defaultLimit;
  const rawLimit = params.get("limit");
  if (rawLimit !== null) {
    if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > 100)
      throw invalidQuery("limit", "limit must be an integer between 1 and 100");
    limit = Number(rawLimit);
  }
  let active: boolean | undefined;
  const rawActive = params.get("active");
  if (rawActive !== null) {
    if (rawActive !== "true" && rawActive !== "false") throw invalidQuery("active", "active must be true or false");
    active = rawActive === "true";
  }
  const next = params.get("next");
  const prev = params.get("prev");
  if (next !== null && prev !== null) throw invalidQuery("next", "send either next or prev, not both");
  const cursor = next !== null ? decodeCursor("next", next) : prev !== null ? decodeCursor("prev", prev) : undefined;
  return { limit, active, cursor };
}
