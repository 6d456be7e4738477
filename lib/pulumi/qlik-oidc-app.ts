import { GroupAssignment } from "@pulumi/okta/app/groupAssignment";
import { OAuth } from "@pulumi/okta/app/oauth";
import { getEveryoneGroupOutput } from "@pulumi/okta/group/getEveryoneGroup";
import { getGroupOutput } from "@pulumi/okta/group/getGroup";
import * as pulumi from "@pulumi/pulumi";
import type { QlikOidcAppProps } from "../okta/qlik-oidc-app";
import { groupAssignments, oidcAppValues } from "../okta/values";

/** Properties for {@link QlikOidcApp}: the same as the CDKTF construct's (`lib/okta/qlik-oidc-app.ts`). */
export type QlikOidcAppArgs = QlikOidcAppProps;

/**
 * Article steps 1–2 with `@pulumi/okta`: the OIDC web app, its groups claim, and its assignments (Everyone through
 * the `getEveryoneGroup` invoke, named groups through `getGroup`), every value from lib/okta/values.ts, as in the
 * CDKTF construct. Child names are a state contract like construct ids: renaming `Resource` replaces the app (a new
 * client id and secret).
 */
export class QlikOidcApp extends pulumi.ComponentResource {
  /** The Okta app resource. */
  public readonly app: OAuth;
  /** Okta app id (`0oa…`). @attribute */
  public readonly oktaAppId: pulumi.Output<string>;
  /** OAuth client id Qlik authenticates with. @attribute */
  public readonly oktaAppClientId: pulumi.Output<string>;
  /** OAuth client secret (a Pulumi secret). @attribute */
  public readonly oktaAppClientSecret: pulumi.Output<string>;
  /** The sign-in redirect URI registered with Okta. */
  public readonly redirectUri: string;
  /** The group assignments, in the order of lib/okta/values.ts `groupAssignments`. */
  public readonly assignments: GroupAssignment[] = [];

  constructor(name: string, args: QlikOidcAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("qlik-okta:okta:QlikOidcApp", name, {}, opts);
    const values = oidcAppValues(args);
    this.redirectUri = values.redirectUris[0];

    this.app = new OAuth("Resource", values, { parent: this });
    this.oktaAppId = this.app.id;
    this.oktaAppClientId = this.app.clientId;
    this.oktaAppClientSecret = pulumi.secret(this.app.clientSecret);

    for (const assignment of groupAssignments(args)) {
      const groupId =
        assignment.groupName === undefined
          ? getEveryoneGroupOutput({}, { parent: this }).id
          : getGroupOutput({ name: assignment.groupName }, { parent: this }).id;
      this.assignments.push(new GroupAssignment(assignment.id, { appId: this.app.id, groupId }, { parent: this }));
    }
    this.registerOutputs({ oktaAppId: this.oktaAppId, oktaAppClientId: this.oktaAppClientId, redirectUri: this.redirectUri });
  }
}
