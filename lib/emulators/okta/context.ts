import type { IncomingHttpHeaders } from "node:http";
import type { OktaStore } from "./state";

// What every route handler gets and answers; its own file, so that route files can share it without a cycle.

/** What a handler answers. `unexpected` = "the emulator does not model this request" (see OktaEmulator.unexpected). */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  /** An array sends the header once per value (Okta sends `Link` twice: rel="self" and rel="next"). */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly unexpected?: boolean;
}

export interface RouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none (and for `body: "form"` routes, which read `rawBody`). */
  readonly body: unknown;
  /** The body as text ("" when none). */
  readonly rawBody: string;
  /** Request headers; only the OAuth token endpoint reads them (for its client authentication). */
  readonly headers: IncomingHttpHeaders;
  /** The org URL the client used: `http://<Host header>`. */
  readonly org: string;
  readonly store: OktaStore;
  readonly oie: boolean;
}
