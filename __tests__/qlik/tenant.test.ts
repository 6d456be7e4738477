import { QlikError } from "../../lib/qlik/errors";
import { classifyHostname, requireCanonicalHostname } from "../../lib/qlik/tenant";

const HOSTNAMES = ["acme.eu.qlikcloud.com", "analytics.eu.qlikcloud.com"];

describe("canonical tenant hostname", () => {
  it("accepts the tenant's real hostname (hostnames[0])", () => {
    // GIVEN the configured host is hostnames[0] / WHEN checking / THEN it is returned
    expect(requireCanonicalHostname("acme.eu.qlikcloud.com", { hostnames: HOSTNAMES }, "prod")).toBe("acme.eu.qlikcloud.com");
  });

  it("compares case-insensitively, as Qlik's hostnames are", () => {
    // GIVEN different letter case / WHEN classifying / THEN still canonical
    expect(classifyHostname("ACME.eu.qlikcloud.com", ["Acme.EU.qlikcloud.com"]).kind).toBe("canonical");
  });

  it("refuses a tenant alias and names the real hostname and why", () => {
    // GIVEN a config that names the alias
    // WHEN
    const run = (): string => requireCanonicalHostname("analytics.eu.qlikcloud.com", { hostnames: HOSTNAMES }, "prod");
    // THEN
    expect(run).toThrow(QlikError);
    expect(run).toThrow(
      "analytics.eu.qlikcloud.com is an alias of the Qlik tenant acme.eu.qlikcloud.com: set stacks.prod.qlik.tenantHostname to acme.eu.qlikcloud.com",
    );
    expect(run).toThrow("redirect_uri mismatch");
  });

  it("refuses a hostname the tenant does not have and lists the ones it has", () => {
    // GIVEN a host of another tenant / WHEN checking / THEN the error lists this tenant's hostnames
    const run = (): string => requireCanonicalHostname("other.us.qlikcloud.com", { hostnames: HOSTNAMES }, "prod");
    expect(run).toThrow("its hostnames: acme.eu.qlikcloud.com, analytics.eu.qlikcloud.com");
  });
});
