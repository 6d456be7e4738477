// Package provider holds the tfbridge.ProviderInfo of our okta resource plugin: the okta Terraform provider v4.20.0
// (its SDKv2 half, okta.Provider()) served to Pulumi under package "okta", with the resource and function tokens
// that the npm package @pulumi/okta@4.20.0 requests.
//
// The token table below was written for this project from the tokens @pulumi/okta itself uses (the __pulumiType and
// invoke("…") strings in node_modules/@pulumi/okta); __tests__/engine/pulumi-engine.test.ts checks it against them.
// Terraform names not listed get the default token okta:index/<camelCase name>:<PascalCase name>, which is also what
// @pulumi/okta uses for them. Property names are the bridge's automatic camelCase; MaxItems=1 blocks are flattened
// to single objects by the bridge (as in @pulumi/okta), so no per-field overrides are needed for the resources the
// project uses (the test compares the schema's properties with @pulumi/okta's .d.ts files).
//
// Not served: the okta provider's Plugin Framework resources/data sources (e.g. okta_brand, okta_log_stream,
// okta_app_signon_policy, okta_group_owner, the okta_policy_device_assurance_* family, data okta_org_metadata,
// data okta_user_type): they live in okta.NewFrameworkProvider, which would need the bridge's pf muxer.
package provider

import (
	"fmt"
	"strings"

	"github.com/okta/terraform-provider-okta/okta"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	ptokens "github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Version is the package version the plugin reports (the okta Terraform provider's and @pulumi/okta's).
const Version = "4.20.0"

// resourceTokens: Terraform resource type -> "module/Name" (token okta:<module>/<camelName>:<Name>).
var resourceTokens = map[string]string{
	// module app
	"okta_app_auto_login":                     "app/AutoLogin",
	"okta_app_basic_auth":                     "app/BasicAuth",
	"okta_app_bookmark":                       "app/Bookmark",
	"okta_app_group_assignment":               "app/GroupAssignment",
	"okta_app_oauth":                          "app/OAuth",
	"okta_app_oauth_post_logout_redirect_uri": "app/OAuthPostLogoutRedirectUri",
	"okta_app_oauth_redirect_uri":             "app/OAuthRedirectUri",
	"okta_app_saml":                           "app/Saml",
	"okta_app_secure_password_store":          "app/SecurePasswordStore",
	"okta_app_swa":                            "app/Swa",
	"okta_app_three_field":                    "app/ThreeField",
	"okta_app_user":                           "app/User",
	// module auth
	"okta_auth_server":             "auth/Server",
	"okta_auth_server_claim":       "auth/ServerClaim",
	"okta_auth_server_policy":      "auth/ServerPolicy",
	"okta_auth_server_policy_rule": "auth/ServerPolicyRule",
	"okta_auth_server_scope":       "auth/ServerScope",
	// modules factor, group, idp, inline, network, policy, profile, trustedorigin, user
	"okta_factor":                    "factor/Factor",
	"okta_group":                     "group/Group",
	"okta_group_role":                "group/Role",
	"okta_group_rule":                "group/Rule",
	"okta_idp_oidc":                  "idp/Oidc",
	"okta_idp_saml":                  "idp/Saml",
	"okta_idp_saml_key":              "idp/SamlKey",
	"okta_idp_social":                "idp/Social",
	"okta_inline_hook":               "inline/Hook",
	"okta_network_zone":              "network/Zone",
	"okta_policy_mfa":                "policy/Mfa",
	"okta_policy_password":           "policy/Password",
	"okta_policy_rule_idp_discovery": "policy/RuleIdpDiscovery",
	"okta_policy_rule_mfa":           "policy/RuleMfa",
	"okta_policy_rule_password":      "policy/RulePassword",
	"okta_policy_rule_signon":        "policy/RuleSignon",
	"okta_policy_signon":             "policy/Signon",
	"okta_profile_mapping":           "profile/Mapping",
	"okta_trusted_origin":            "trustedorigin/Origin",
	"okta_user":                      "user/User",
	"okta_user_type":                 "user/UserType",
	// module index, spelled differently from the Terraform name
	"okta_behavior": "index/Behaviour",
}

// dataSourceTokens: Terraform data source -> "module/getName" (token okta:<module>/getName:getName).
var dataSourceTokens = map[string]string{
	"okta_app":                         "app/getApp",
	"okta_app_metadata_saml":           "app/getMetadataSaml",
	"okta_app_oauth":                   "app/getOauth",
	"okta_app_saml":                    "app/getSaml",
	"okta_auth_server":                 "auth/getServer",
	"okta_auth_server_policy":          "auth/getServerPolicy",
	"okta_auth_server_scopes":          "auth/getServerScopes",
	"okta_everyone_group":              "group/getEveryoneGroup",
	"okta_group":                       "group/getGroup",
	"okta_group_rule":                  "group/getRule",
	"okta_idp_metadata_saml":           "idp/getMetadataSaml",
	"okta_idp_oidc":                    "idp/getOidc",
	"okta_idp_saml":                    "idp/getSaml",
	"okta_idp_social":                  "idp/getSocial",
	"okta_default_policy":              "policy/getDefaultPolicy",
	"okta_policy":                      "policy/getPolicy",
	"okta_user":                        "user/getUser",
	"okta_user_profile_mapping_source": "user/getUserProfileMappingSource",
	"okta_users":                       "user/getUsers",
	// module index, spelled differently from the Terraform name
	"okta_behavior":        "index/getBehaviour",
	"okta_behaviors":       "index/getBehaviours",
	"okta_email_template":  "index/getTemplate",
	"okta_email_templates": "index/getTemplates",
}

// token turns "module/Name" into okta:module/name:Name (functions: "module/getName" into okta:module/getName:getName).
func token(moduleAndName string) string {
	mod, name, ok := strings.Cut(moduleAndName, "/")
	if !ok || name == "" {
		panic(fmt.Sprintf("bad token spec %q", moduleAndName))
	}
	return fmt.Sprintf("okta:%s/%s:%s", mod, strings.ToLower(name[:1])+name[1:], name)
}

// Provider returns the bridge's description of the plugin.
func Provider() tfbridge.ProviderInfo {
	p := tfbridge.ProviderInfo{
		P:           shimv2.NewProvider(okta.Provider()),
		Name:        "okta",
		Version:     Version,
		DisplayName: "Okta",
		Description: "A Pulumi package for creating and managing okta resources (qlik-okta-iac's own build of the okta Terraform provider v4.20.0).",
		Publisher:   "qlik-okta-iac",
		GitHubOrg:   "okta",
		License:     "Apache-2.0",
		// Provider configuration: the bridge's automatic names are what @pulumi/okta's Provider and config/vars
		// send (orgName, baseUrl, apiToken, httpProxy, ...). Listed so that the contract is visible here; the
		// Terraform schema already marks api_token/access_token/private_key sensitive, and reads OKTA_* env vars.
		Config: map[string]*tfbridge.SchemaInfo{
			"org_name":       {Name: "orgName"},
			"base_url":       {Name: "baseUrl"},
			"api_token":      {Name: "apiToken", Secret: tfbridge.True()},
			"http_proxy":     {Name: "httpProxy"},
			"access_token":   {Name: "accessToken", Secret: tfbridge.True()},
			"private_key":    {Name: "privateKey", Secret: tfbridge.True()},
			"private_key_id": {Name: "privateKeyId"},
			"client_id":      {Name: "clientId"},
		},
		Resources:   map[string]*tfbridge.ResourceInfo{},
		DataSources: map[string]*tfbridge.DataSourceInfo{},
	}
	for tf, spec := range resourceTokens {
		p.Resources[tf] = &tfbridge.ResourceInfo{Tok: ptokens.Type(token(spec))}
	}
	for tf, spec := range dataSourceTokens {
		p.DataSources[tf] = &tfbridge.DataSourceInfo{Tok: ptokens.ModuleMember(token(spec))}
	}
	// Everything else: okta:index/<camelCase>:<PascalCase>, e.g. okta_app_saml_app_settings ->
	// okta:index/appSamlAppSettings:AppSamlAppSettings, data okta_groups -> okta:index/getGroups:getGroups.
	p.MustComputeTokens(tokens.SingleModule("okta_", "index", tokens.MakeStandard("okta")))
	// A string input called "name" is auto-named (resource name + "-" + 7 random characters) when the program gives
	// none, which makes it optional, as in @pulumi/okta (e.g. auth.Server's name). Must follow MustComputeTokens.
	p.SetAutonaming(255, "-")
	return p
}
