import { readFileSync, writeFileSync } from "node:fs";
import { errorLine } from "../errors";
import { secretsIn } from "../redact";
import { loadCommandConfig } from "./config-file";
import { Output, redactingOutput } from "./output";

/**
 * `qlik-okta adopt [--config F] [--stack S] [--okta-app-id ID] [--write]`: find a setup made by hand from the article
 * (read-only against Okta and Qlik), print it next to what the config asks for, and with --write record it under
 * `stacks.<name>.adopted` with the settings pre-filled from what exists, so the next `qlik-okta plan` imports
 * everything and only changes in place. Exit 0 found (and written), 1 refused or failed (one line saying why).
 */
export interface AdoptOptions {
  readonly config?: string;
  readonly stack?: string;
  readonly oktaAppId?: string;
  readonly write?: boolean;
}

export async function runAdopt(opts: AdoptOptions, rawOutput: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const output = redactingOutput(rawOutput, secretsIn(env));
  try {
    const { file, config } = loadCommandConfig(opts.config, output, env, true);
    const names = Object.keys(config.stacks);
    const stack = opts.stack ?? (names.length === 1 ? names[0] : undefined);
    const { missingOptionError, unknownStackError } = await import("../qlik/errors");
    if (!stack) throw missingOptionError("--stack", `(stacks in ${file}: ${names.join(", ")})`);
    const stackConfig = config.stacks[stack];
    if (!stackConfig) throw unknownStackError(stack, file, names);

    const { OktaReader } = await import("../okta/reader");
    const { QlikClient } = await import("../qlik/client");
    const { discover } = await import("../adopt/discover");
    const { adoptionRecord, prefills } = await import("../adopt/match");
    const okta = await OktaReader.fromEnv(stackConfig.okta.orgUrl, env);
    const qlik = QlikClient.fromEnv(stackConfig.qlik.tenantHostname, {}, env);
    const found = await discover(stack, stackConfig, okta, qlik, { oktaAppId: opts.oktaAppId });

    const fills = prefills(found, stackConfig);
    const filled = structuredClone(stackConfig);
    for (const f of fills) setIn(filled as unknown as Record<string, unknown>, f.path, f.value);
    const record = adoptionRecord(found, filled);

    output.out(`Stack ${stack}: what exists in Okta and Qlik`);
    output.out(`  Okta app          "${found.app.label}" id ${found.app.id}, client id ${found.app.clientId}`);
    const assigned = Object.entries(found.assignments).map(([n, id]) => `${n} (${id})`);
    output.out(`  assignments       ${assigned.length > 0 ? assigned.join(", ") : "none"}`);
    output.out(`  groups claim      ${found.groupsClaim ? `${found.groupsClaim.name}: ${found.groupsClaim.filterType ?? ""} ${found.groupsClaim.value ?? ""}`.trim() : "none"}`);
    const as = found.authServer;
    if (as) {
      output.out(`  auth server       "${as.name}" id ${as.id}, audience ${as.audiences.join(", ")}`);
      for (const s of as.scopes) output.out(`    scope           ${s.name} (${s.id}) consent ${s.consent ?? "?"}, default ${String(s.default ?? "?")}, metadata ${s.metadataPublish ?? "?"}`);
      if (as.policy) output.out(`    policy          "${as.policy.name}" (${as.policy.id})`);
      if (as.rule) output.out(`    rule            "${as.rule.name}" (${as.rule.id}) grants ${as.rule.grantTypes.join(", ")}`);
    }
    const idp = found.idp;
    if (idp.kind !== "none") {
      const state = `${idp.idp.active ? "active" : "inactive"}${idp.kind === "managed" ? ", already managed by this stack" : ""}`;
      output.out(`  Qlik IdP          ${idp.idp.id} "${idp.idp.description ?? ""}" (${state})`);
    }
    output.out(fills.length > 0 ? "Settings taken from what exists (config → found):" : "The config already matches what exists.");
    for (const f of fills) output.out(`  ${f.path.join(".")}: ${JSON.stringify(f.was)} → ${JSON.stringify(f.value)}`);
    for (const note of found.notes) output.out(`note: ${note}`);

    if (!opts.write) {
      output.out(`Run again with --write to record this in ${file}; then qlik-okta plan shows the imports.`);
      return 0;
    }
    const { writeAdoption } = await import("../adopt/write");
    const text = writeAdoption(readFileSync(file, "utf8"), file, stack, record, fills);
    writeFileSync(file, text);
    output.out(`Wrote stacks.${stack}.adopted${fills.length > 0 ? ` and ${fills.length} setting(s)` : ""} to ${file}; next: qlik-okta plan (it imports, never creates, what was found)`);
    return 0;
  } catch (e) {
    output.err(`adopt: ${errorLine(e)}`);
    return 1;
  }
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]] = value;
}
