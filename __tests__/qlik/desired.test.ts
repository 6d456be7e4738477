import { validateCreate } from "../../lib/emulators/qlik/validate";
import { desiredOptions, secretFingerprint } from "../../lib/qlik/desired";
import { hasMarker } from "../../lib/qlik/marker";
import { CLIENT_ID, desired, SECRET } from "./fixtures";

describe("the desired Qlik identity provider", () => {
  it("sends an interactive Okta OIDC IdP for verification in pendingOptions", () => {
    // GIVEN the default verification flow (interactive)
    // WHEN
    const payload = desired();
    // THEN
    expect(payload).toMatchObject({ protocol: "OIDC", provider: "okta", interactive: true });
    expect(payload.pendingOptions).toMatchObject({
      discoveryUrl: "https://acme.okta.com/.well-known/openid-configuration",
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      realm: "okta",
      scope: "openid profile email groups",
      blockOfflineAccessScope: true,
    });
    expect(payload.options).toBeUndefined();
    expect(payload.skipVerify).toBeUndefined();
  });

  it("tells Qlik to read claims from the ID token, where Okta puts the groups claim", () => {
    // GIVEN either flow
    // WHEN / THEN the fix for "groups never reach Qlik" is always there
    expect(desired({ verification: "interactive" }).pendingOptions?.useClaimsFromIdToken).toBe(true);
    expect(desired({ verification: "skip" }).options?.useClaimsFromIdToken).toBe(true);
  });

  it("uses options and skipVerify when verification is skipped", () => {
    // GIVEN verification: skip / WHEN building the payload / THEN the configuration goes live directly in options
    const payload = desired({ verification: "skip" });
    expect(payload.skipVerify).toBe(true);
    expect(payload.options).toMatchObject({ clientId: CLIENT_ID, clientSecret: SECRET });
    expect(payload.pendingOptions).toBeUndefined();
  });

  it("maps the configured claims, groups included", () => {
    // GIVEN the default claims mapping / WHEN building the payload / THEN groups is mapped
    expect(desiredOptions(desired()).claimsMapping).toEqual({
      sub: ["sub"],
      name: ["name"],
      email: ["email"],
      email_verified: ["email_verified"],
      groups: ["groups"],
    });
  });

  it("marks the description as managed by this stack", () => {
    // GIVEN a description / WHEN building the payload / THEN the stack's marker follows it
    const payload = desired({ description: "Okta SSO" });
    expect(payload.description).toBe("Okta SSO [managed by qlik-okta-iac:prod]");
    expect(hasMarker(payload.description, "prod")).toBe(true);
  });

  it("carries the user settings that are not options", () => {
    // GIVEN top-level settings / WHEN building the payload / THEN they are sent as configured
    const payload = desired({ clockToleranceSec: 30, createNewUsersOnLogin: false, postLogoutRedirectUri: "https://intranet.example.com/" });
    expect(payload).toMatchObject({ clockToleranceSec: 30, createNewUsersOnLogin: false, postLogoutRedirectUri: "https://intranet.example.com/" });
  });

  it("leaves postLogoutRedirectUri out when it is not configured", () => {
    // GIVEN no postLogoutRedirectUri / WHEN building the payload / THEN the field is absent, not empty
    expect("postLogoutRedirectUri" in desired()).toBe(false);
  });

  it.each(["interactive", "skip"] as const)("builds a %s payload the strict Qlik emulator accepts", (verification) => {
    // GIVEN the emulator's validation, which follows Qlik's create schema and rejects unknown properties
    // WHEN / THEN
    expect(() => validateCreate(JSON.parse(JSON.stringify(desired({ verification }))), "tenant")).not.toThrow();
  });
});

describe("secretFingerprint", () => {
  it("is the SHA-256 hex digest of the secret", () => {
    // GIVEN the NIST test vector "abc" / WHEN fingerprinting / THEN the known digest comes out
    expect(secretFingerprint("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("does not contain the secret", () => {
    // GIVEN a secret / WHEN fingerprinting / THEN the secret is not in the result
    expect(secretFingerprint(SECRET)).not.toContain(SECRET);
  });
});
