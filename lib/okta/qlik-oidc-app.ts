import { AppGroupAssignment } from "@cdktf/provider-okta/lib/app-group-assignment";
import { AppOauth } from "@cdktf/provider-okta/lib/app-oauth";
import { DataOktaEveryoneGroup } from "@cdktf/provider-okta/lib/data-okta-everyone-group";
import { DataOktaGroup } from "@cdktf/provider-okta/lib/data-okta-group";
import { Construct } from "constructs";
import { callbackUrl, groupAssignments, oidcAppValues, QlikOidcAppProps } from "./values";

export type { QlikOidcAppProps };

/**
 * Article steps 1–2: the OIDC web application Qlik Cloud signs users in with, its groups claim, and who may use it.
 *
 * Construct ids are a state contract: renaming `Resource` replaces the app, which means a new client id and secret
 * and a broken Qlik login until the identity provider is updated.
 */
export class QlikOidcApp extends Construct {
  /** The sign-in redirect URI, always on the tenant's real hostname. */
  public static callbackUrl(tenantHostname: string): string {
    return callbackUrl(tenantHostname);
  }

  /** The Okta app resource. */
  public readonly app: AppOauth;
  /** Okta app id (`0oa…`). @attribute */
  public readonly oktaAppId: string;
  /** OAuth client id Qlik authenticates with. @attribute */
  public readonly oktaAppClientId: string;
  /** OAuth client secret; a Terraform reference, only ever surfaced through sensitive outputs. @attribute */
  public readonly oktaAppClientSecret: string;
  /** The sign-in redirect URI registered with Okta. */
  public readonly redirectUri: string;

  constructor(scope: Construct, id: string, props: QlikOidcAppProps) {
    super(scope, id);
    // Every value comes from lib/okta/values.ts, which the Pulumi component reads too.
    const values = oidcAppValues(props);
    this.redirectUri = values.redirectUris[0];

    this.app = new AppOauth(this, "Resource", values);
    this.oktaAppId = this.app.id;
    this.oktaAppClientId = this.app.clientId;
    this.oktaAppClientSecret = this.app.clientSecret;

    for (const assignment of groupAssignments(props)) {
      const group =
        assignment.groupName === undefined
          ? new DataOktaEveryoneGroup(this, assignment.groupLookupId, {})
          : new DataOktaGroup(this, assignment.groupLookupId, { name: assignment.groupName });
      new AppGroupAssignment(this, assignment.id, { appId: this.app.id, groupId: group.id });
    }
  }
}
