import { DataResource, Fn, ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ENV, RESULT_FILE } from "../contract";
import { CLI_ENTRY } from "../paths";
import { IdpRequest } from "./request";

/** Properties for {@link QlikIdentityProvider}. */
export interface QlikIdentityProviderProps {
  /** The desired state (`idpRequestFromConfig`), its client id a Terraform reference to the Okta app's. */
  readonly request: IdpRequest;
  /** OAuth client secret of the Okta app (a Terraform reference; never a literal). */
  readonly clientSecret: string;
  /**
   * The command that runs the qlik-okta CLI, as a shell word list. Terraform runs provisioners inside
   * `cdktf.out/stacks/<stack>`, so the path must be absolute.
   * @default - `node <this project>/dist/lib/cli/bin.js`
   */
  readonly cliCommand?: readonly string[];
  /** Resources the Qlik step must wait for (the Okta app and its assignments). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Article steps 17–23: the Qlik Cloud identity provider, configured through Qlik's REST API right after the Okta
 * resources exist, in the same apply.
 *
 * Two `terraform_data` resources:
 * - `Resource` carries the complete non-secret desired state in its `input`; `triggers_replace` holds the same
 *   state plus a SHA-256 of the client secret, so any change (a rotated secret included) shows in the plan and
 *   re-runs `qlik-okta idp apply`, which reconciles idempotently. Because the secret is sensitive, Terraform hides
 *   the provisioner output; the CLI writes what it did to `qlik-idp-result.json` instead.
 * - `Retirement` only runs at destroy (`onDestroy`, lockout guard). Its settings live in `input`, so changing them is
 *   an in-place update that runs nothing, and a replacement of `Resource` (secret rotation) never triggers a delete.
 */
export class QlikIdentityProvider extends Construct {
  /** The desired state the CLI receives. */
  public readonly request: IdpRequest;
  public readonly resource: DataResource;
  public readonly retirement: DataResource;

  constructor(scope: Construct, id: string, props: QlikIdentityProviderProps) {
    super(scope, id);
    this.request = props.request;
    const cli = (props.cliCommand ?? defaultCliCommand()).map(shellQuote).join(" ");

    this.resource = new DataResource(this, "Resource", {
      input: this.request,
      triggersReplace: {
        request: this.request,
        clientSecretSha256: Fn.sha256(props.clientSecret),
      },
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: "local-exec",
          command: `${cli} idp apply --request-env ${ENV.idpRequest} --result-file ${RESULT_FILE}`,
          environment: {
            [ENV.idpRequest]: "${jsonencode(self.input)}",
            // Passed through the environment, never interpolated into the command line.
            [ENV.idpClientSecret]: props.clientSecret,
          },
        },
      ],
    });

    // Destroy-time provisioners may only reference `self`, so everything destroy needs is in `input`.
    this.retirement = new DataResource(this, "Retirement", {
      input: this.request,
      dependsOn: [this.resource],
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          command: `${cli} idp destroy --request-env ${ENV.idpRequest}`,
          environment: { [ENV.idpRequest]: "${jsonencode(self.input)}" },
        },
      ],
    });
  }
}

/** `node <project>/dist/lib/cli/bin.js`: the compiled CLI, whether this module runs from `dist/` or from sources. */
export function defaultCliCommand(): string[] {
  return ["node", CLI_ENTRY];
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
