import { recoveryUrl } from "../qlik/errors";
import type { IdpSettingsInPlan, PlanSummary } from "./plan-summary";
import type { QlikPlanRecord } from "./qlik-plan";

/**
 * Warnings that matter to a reviewer: the changes that lock people out or cannot be undone. One rule, one pure
 * function; each returns the warnings it finds in one stack's plan and Qlik report.
 */

export type WarningCode =
  | "destroy-plan"
  | "okta-app-replaced"
  | "okta-delete"
  | "okta-replace"
  | "idp-activation"
  | "active-idp-change-allowed"
  | "idp-deleted-on-destroy"
  | "qlik-blocked"
  | "auth-server-open-rule";

/**
 * How the comment flags it: `caution` for what can lock people out, delete or cannot be undone (GitHub's CAUTION
 * alert), `warning` for what needs a look but breaks nothing by itself (WARNING).
 */
export type WarningSeverity = "caution" | "warning";

export interface ReviewWarning {
  readonly code: WarningCode;
  readonly severity: WarningSeverity;
  /** A short title, e.g. "Okta app replaced". */
  readonly title: string;
  /** What happens and what it means for users, in one or two sentences. */
  readonly message: string;
}

export interface WarningInput {
  readonly plan?: PlanSummary;
  readonly qlik?: QlikPlanRecord;
}

export type WarningRule = (input: WarningInput) => ReviewWarning[];

const code = (s: string): string => `\`${s}\``;
const list = (items: readonly string[]): string => items.map(code).join(", ");
const tenantOf = (input: WarningInput): string | undefined =>
  input.plan?.identityProvider?.after?.tenantHostname ??
  input.plan?.identityProvider?.before?.tenantHostname ??
  (input.qlik?.status === "planned" ? input.qlik.report.tenantHostname : undefined);

/** A `plan -destroy`: the whole stack goes. */
export const destroyPlan: WarningRule = ({ plan }) =>
  plan?.destroy
    ? [
        {
          code: "destroy-plan",
          severity: "caution",
          title: "Destroy plan",
          message: "This plan was made with `-destroy`: every resource of the stack is removed, the Okta app included — nobody can sign in to Qlik through it afterwards.",
        },
      ]
    : [];

/** Replacing `okta_app_oauth` means a new client id and secret. */
export const oktaAppReplaced: WarningRule = ({ plan }) =>
  (plan?.changes ?? [])
    .filter((c) => c.type === "okta_app_oauth" && c.action === "replace")
    .map((c) => {
      const interactive = (plan?.identityProvider?.after ?? plan?.identityProvider?.before)?.verification !== "skip";
      return {
        code: "okta-app-replaced" as const,
        severity: "caution" as const,
        title: "Okta app replaced",
        message:
          `${code(c.address)} is deleted and created again: new client id and secret. Qlik's IdP gets the new secret in the same apply; ` +
          `users cannot sign in until then` +
          (interactive ? ", and the interactive verification must be redone (an admin validates a test login again)." : "."),
      };
    });

/** Any delete of an Okta object (a replacement deletes too). */
export const oktaDeletes: WarningRule = ({ plan }) => {
  const okta = (plan?.changes ?? []).filter((c) => c.type.startsWith("okta_") && c.mode === "managed");
  const deleted = okta.filter((c) => c.action === "delete").map((c) => c.address);
  const replaced = okta.filter((c) => c.action === "replace" && c.type !== "okta_app_oauth").map((c) => c.address);
  const out: ReviewWarning[] = [];
  if (deleted.length > 0) {
    out.push({
      code: "okta-delete",
      severity: "caution",
      title: `Okta: ${deleted.length} to delete`,
      message: `Deleted in Okta, with whatever depends on them: ${list(deleted)}.`,
    });
  }
  if (replaced.length > 0) {
    out.push({
      code: "okta-replace",
      severity: "warning",
      title: `Okta: ${replaced.length} replaced`,
      message: `Deleted and created again (ids change; a short gap in between): ${list(replaced)}.`,
    });
  }
  return out;
};

const turnsOn = (before: IdpSettingsInPlan | undefined, after: IdpSettingsInPlan | undefined, key: "activate" | "allowActiveIdpChange"): boolean =>
  after?.[key] === true && before?.[key] !== true;

/** `identityProvider.activate` false → true, or a Qlik plan that activates: every user's login changes. */
export const idpActivation: WarningRule = (input) => {
  const step = input.plan?.identityProvider;
  // An adopted IdP that is already the tenant's sign-in changes nothing for users when `activate` turns true.
  const alreadyActive = input.qlik?.status === "planned" && input.qlik.report.active === true;
  const byPlan = !!step && step.action !== "delete" && turnsOn(step.before, step.after, "activate") && !alreadyActive;
  const byQlik = input.qlik?.status === "planned" && (input.qlik.report.actions ?? []).some((a) => a.kind === "activate");
  if (!byPlan && !byQlik) return [];
  const tenant = tenantOf(input);
  const when = byQlik
    ? "It is activated by this apply"
    : step?.after?.verification === "skip"
      ? "It is activated by this apply"
      : "It is activated by the apply that promotes the validated configuration";
  return [
    {
      code: "idp-activation",
      severity: "caution",
      title: "Qlik IdP activation",
      message:
        `The Okta IdP becomes the tenant's sign-in: login changes for every user of ${tenant ?? "the tenant"}. ${when}` +
        (tenant ? `; if nobody can sign in, an admin recovers at ${recoveryUrl(tenant)}.` : "."),
    },
  ];
};

/** `allowActiveIdpChange: true` switches the lockout guard off for whatever this apply does. */
export const activeIdpChangeAllowed: WarningRule = ({ plan }) => {
  const step = plan?.identityProvider;
  if (!step || step.action === "no-op" || step.action === "delete" || step.after?.allowActiveIdpChange !== true) return [];
  return [
    {
      code: "active-idp-change-allowed",
      severity: "caution",
      title: "Lockout guard off",
      message:
        "`allowActiveIdpChange: true`: this apply may deactivate, replace or delete the tenant's active sign-in without stopping. " +
        "Make sure that is intended, and that an admin can use the recovery URL.",
    },
  ];
};

/** `onDestroy: delete` being set, or a destroy that deletes the IdP. */
export const idpDeletedOnDestroy: WarningRule = ({ plan, qlik }) => {
  const step = plan?.identityProvider;
  if (plan?.destroy || qlik?.status === "destroy") {
    const deletes = qlik?.status === "destroy" ? qlik.onDestroy === "delete" : step?.before?.onDestroy === "delete";
    return deletes
      ? [
          {
            code: "idp-deleted-on-destroy",
            severity: "caution",
            title: "Qlik IdP deleted",
            message: "`onDestroy: delete`: this destroy deletes the Qlik identity provider from the tenant (the lockout guard still refuses to delete the active sign-in).",
          },
        ]
      : [];
  }
  if (!step || step.action === "no-op" || step.action === "delete") return [];
  if (step.after?.onDestroy !== "delete" || step.before?.onDestroy === "delete") return [];
  return [
    {
      code: "idp-deleted-on-destroy",
      severity: "warning",
      title: "onDestroy: delete",
      message: "`onDestroy: delete`: destroying this stack will also delete the Qlik identity provider from the tenant.",
    },
  ];
};

/** A Qlik action the lockout guard refuses: the apply will stop at the Qlik step. */
export const qlikBlocked: WarningRule = ({ qlik }) => {
  if (qlik?.status !== "planned") return [];
  return (qlik.report.actions ?? [])
    .filter((a) => a.kind === "blocked")
    .map((a) => ({
      code: "qlik-blocked" as const,
      severity: "warning" as const,
      title: "Blocked by the lockout guard",
      message: `${a.reason ?? a.summary}. The apply fails at the Qlik step unless this is resolved.`,
    }));
};

/**
 * An authorization-server rule that lets every client of the org get tokens for every scope on behalf of everyone:
 * the policy admits `ALL_CLIENTS`, the rule `*` scopes and the `EVERYONE` group. Read from the plan's values of the
 * rule and its policy, when this plan creates or changes either.
 */
export const authServerOpenRule: WarningRule = ({ plan }) =>
  (plan?.authServerRules ?? [])
    .filter((r) => r.policyClients?.includes("ALL_CLIENTS") && r.scopes?.includes("*") && r.groups?.includes("EVERYONE"))
    .map((r) => ({
      code: "auth-server-open-rule" as const,
      severity: "warning" as const,
      title: "Authorization server open to all clients",
      message:
        `${code(r.address)}${r.name ? ` ("${r.name}")` : ""} allows all clients (its policy's ${code("client_whitelist")} is ${code("ALL_CLIENTS")}), ` +
        `all scopes (${code("*")}) and everyone (${code("EVERYONE")})` +
        (r.grantTypes && r.grantTypes.length > 0 ? ` for ${list(r.grantTypes)}` : "") +
        ": any app of the Okta org that may use that grant gets an access token for this authorization server. " +
        "Narrow the policy's clients or the rule's scopes if that is not intended.",
    }));

export const WARNING_RULES: readonly WarningRule[] = [
  destroyPlan,
  oktaAppReplaced,
  oktaDeletes,
  idpActivation,
  activeIdpChangeAllowed,
  idpDeletedOnDestroy,
  qlikBlocked,
  authServerOpenRule,
];

/** Every warning for one stack, in rule order. */
export function reviewWarnings(input: WarningInput, rules: readonly WarningRule[] = WARNING_RULES): ReviewWarning[] {
  return rules.flatMap((rule) => rule(input));
}
