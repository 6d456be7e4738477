import { ConfigError, parseConfig } from "../../lib/config";

/** `stacks.prod.backend` — where each stack keeps its state. Messages are the contract: tested verbatim. */

const BASE = `
stacks:
  prod:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
`;

function withBackend(backend: string): string {
  return `${BASE}    backend: ${backend}\n`;
}

function problemsFor(backend: string): string[] {
  try {
    parseConfig(withBackend(backend), "qlik-okta.yaml");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected the config to be rejected");
}

const VALID_TYPES = "valid values: local, s3, gcs, azurerm, http, remote";

describe("configuration: backend defaults", () => {
  it("keeps today's local state when no backend is given", () => {
    expect(parseConfig(BASE).stacks.prod.backend).toEqual({ type: "local" });
  });

  it("locks and encrypts S3 state unless told otherwise", () => {
    // WHEN
    const { stacks, warnings } = parseConfig(withBackend("{ type: s3, bucket: acme-terraform-state, region: eu-west-1 }"));
    // THEN
    expect(stacks.prod.backend).toEqual({
      type: "s3",
      bucket: "acme-terraform-state",
      region: "eu-west-1",
      encrypt: true,
      useLockfile: true,
    });
    expect(warnings).toEqual([]);
  });

  it("accepts every backend type with its required settings", () => {
    for (const backend of [
      "{ type: local, path: state/prod.tfstate }",
      "{ type: gcs, bucket: acme-terraform-state }",
      "{ type: azurerm, storageAccountName: acmetfstate, containerName: tfstate, useAzureadAuth: true }",
      "{ type: http, address: https://state.example.com/prod, lockAddress: https://state.example.com/prod/lock, unlockAddress: https://state.example.com/prod/lock }",
      "{ type: remote, organization: acme, workspaces: { prefix: qlik- } }",
    ]) {
      expect(() => parseConfig(withBackend(backend))).not.toThrow();
    }
  });
});

describe("configuration: backend type", () => {
  it("refuses an unknown type and lists the valid ones", () => {
    expect(problemsFor("{ type: consul, path: qlik-okta-iac/prod }")).toEqual([`stacks.prod.backend.type: "consul" is not valid; ${VALID_TYPES}`]);
  });

  it("guesses the type meant by a near miss", () => {
    expect(problemsFor("{ type: azure, storageAccountName: acmetfstate, containerName: tfstate }")).toEqual([
      `stacks.prod.backend.type: "azure" is not valid; did you mean "azurerm"? ${VALID_TYPES}`,
    ]);
  });

  it("requires a type", () => {
    expect(problemsFor("{ bucket: acme-terraform-state }")).toEqual([`stacks.prod.backend.type: is required; ${VALID_TYPES}`]);
  });

  it("refuses a backend that is not a mapping", () => {
    expect(problemsFor("s3")).toEqual(['stacks.prod.backend: expected a mapping, got "s3"']);
  });
});

describe("configuration: backend structure", () => {
  it("requires the bucket of an S3 backend", () => {
    expect(problemsFor("{ type: s3, region: eu-west-1 }")).toEqual(["stacks.prod.backend.bucket: is required (a string)"]);
  });

  it("requires the storage account and container of an azurerm backend", () => {
    expect(problemsFor("{ type: azurerm, key: prod.tfstate }")).toEqual([
      "stacks.prod.backend.storageAccountName: is required (a string)",
      "stacks.prod.backend.containerName: is required (a string)",
    ]);
  });

  it("suggests the setting of that backend type for a typo", () => {
    expect(problemsFor("{ type: s3, bucket: acme-terraform-state, usLockfile: true }")).toEqual([
      'stacks.prod.backend.usLockfile: unknown setting; did you mean "useLockfile"? valid settings here: type, bucket, key, region, encrypt, kmsKeyId, useLockfile, dynamodbTable, roleArn, profile, endpoint, usePathStyle',
    ]);
  });

  it("lists the settings of the chosen type, not of another one", () => {
    expect(problemsFor("{ type: gcs, bucket: acme-terraform-state, key: prod.tfstate }")).toEqual([
      "stacks.prod.backend.key: unknown setting; valid settings here: type, bucket, prefix, impersonateServiceAccount, kmsEncryptionKey",
    ]);
  });

  it("suggests settings inside nested mappings of a backend", () => {
    expect(problemsFor("{ type: remote, organization: acme, workspaces: { nmae: prod } }")).toEqual([
      'stacks.prod.backend.workspaces.nmae: unknown setting; did you mean "name"? valid settings here: name, prefix',
    ]);
  });
});

describe("configuration: backend secrets", () => {
  it("refuses S3 access keys and names the AWS variables", () => {
    expect(problemsFor("{ type: s3, bucket: acme-terraform-state, accessKey: AKIAEXAMPLE, secret_key: wJalrEXAMPLE }")).toEqual([
      "stacks.prod.backend.accessKey: secrets are not accepted in the config file (value not shown): set AWS_ACCESS_KEY_ID in the environment",
      "stacks.prod.backend.secret_key: secrets are not accepted in the config file (value not shown): set AWS_SECRET_ACCESS_KEY in the environment",
    ]);
  });

  it("refuses an azurerm SAS token and access key", () => {
    expect(problemsFor("{ type: azurerm, storageAccountName: acmetfstate, containerName: tfstate, sasToken: sv=2022, accessKey: abc }")).toEqual([
      "stacks.prod.backend.sasToken: secrets are not accepted in the config file (value not shown): set ARM_SAS_TOKEN in the environment",
      "stacks.prod.backend.accessKey: secrets are not accepted in the config file (value not shown): set ARM_ACCESS_KEY in the environment",
    ]);
  });

  it("refuses GCS credentials", () => {
    expect(problemsFor("{ type: gcs, bucket: acme-terraform-state, credentials: '{\"type\": \"service_account\"}' }")).toEqual([
      "stacks.prod.backend.credentials: secrets are not accepted in the config file (value not shown): set GOOGLE_BACKEND_CREDENTIALS in the environment",
    ]);
  });

  it("refuses an HTTP backend's username and password, in settings or in the URL", () => {
    expect(problemsFor("{ type: http, address: 'https://bob:hunter2@state.example.com/prod', username: bob, password: hunter2 }")).toEqual([
      "stacks.prod.backend.username: secrets are not accepted in the config file (value not shown): set TF_HTTP_USERNAME in the environment",
      "stacks.prod.backend.password: secrets are not accepted in the config file (value not shown): set TF_HTTP_PASSWORD in the environment",
      "stacks.prod.backend.address: must not contain credentials (value not shown); set TF_HTTP_USERNAME and TF_HTTP_PASSWORD in the environment instead",
    ]);
  });

  it("refuses a remote backend token and names the variable for its host", () => {
    expect(problemsFor("{ type: remote, hostname: tfe.acme-corp.com, organization: acme, token: abc }")).toEqual([
      "stacks.prod.backend.token: secrets are not accepted in the config file (value not shown): set TF_TOKEN_tfe_acme__corp_com in the environment",
    ]);
    expect(problemsFor("{ type: remote, organization: acme, token: abc }")).toEqual([
      "stacks.prod.backend.token: secrets are not accepted in the config file (value not shown): set TF_TOKEN_app_terraform_io in the environment",
    ]);
  });

  it("never prints the secret value", () => {
    // GIVEN a canary in every secret-bearing place of a backend
    const canary = "CANARY-backend-secret-5e1";
    // WHEN
    const text = problemsFor(`{ type: http, address: 'https://u:${canary}@s.example.com/x', password: ${canary} }`).join("\n");
    // THEN
    expect(text).not.toContain(canary);
  });
});

describe("configuration: backend rules", () => {
  it("refuses a bucket name S3 would refuse", () => {
    expect(problemsFor("{ type: s3, bucket: Acme_State }")).toEqual([
      'stacks.prod.backend.bucket: "Acme_State" is not an S3 bucket name: 3-63 lowercase letters, digits, "." or "-", starting and ending with a letter or digit, e.g. acme-terraform-state',
    ]);
  });

  it("refuses an S3 key with a leading or trailing slash, naming the stack's default", () => {
    expect(problemsFor("{ type: s3, bucket: acme-terraform-state, key: /state/ }")).toEqual([
      'stacks.prod.backend.key: "/state/" must not start or end with "/" (the backend refuses it); e.g. qlik-okta-iac/prod.tfstate',
    ]);
  });

  it("refuses a GCS prefix with a leading slash but allows a trailing one", () => {
    expect(problemsFor("{ type: gcs, bucket: acme-terraform-state, prefix: /qlik }")).toEqual([
      'stacks.prod.backend.prefix: "/qlik" must not start with "/" (the backend refuses it); e.g. qlik-okta-iac/prod',
    ]);
    expect(() => parseConfig(withBackend("{ type: gcs, bucket: acme-terraform-state, prefix: qlik/ }"))).not.toThrow();
  });

  it("refuses Azure storage names Azure would refuse", () => {
    expect(problemsFor("{ type: azurerm, storageAccountName: Acme-State, containerName: t }")).toEqual([
      'stacks.prod.backend.storageAccountName: "Acme-State" is not a storage account name: 3-24 lowercase letters and digits, e.g. acmetfstate',
      'stacks.prod.backend.containerName: "t" is not a blob container name: 3-63 lowercase letters, digits and single "-", starting and ending with a letter or digit, e.g. tfstate',
    ]);
  });

  it("refuses local state inside cdktf.out, which synth rewrites", () => {
    expect(problemsFor("{ type: local, path: cdktf.out/prod.tfstate }")).toEqual([
      'stacks.prod.backend.path: "cdktf.out/prod.tfstate" is inside cdktf.out, which synth rewrites; keep state beside the project, e.g. terraform.prod.tfstate',
    ]);
  });

  it("refuses an HTTP address that is not a URL, and half a lock configuration", () => {
    expect(problemsFor("{ type: http, address: state.example.com, lockAddress: https://state.example.com/lock }")).toEqual([
      'stacks.prod.backend.address: "state.example.com" is not a URL; expected e.g. https://state.example.com/prod',
      "stacks.prod.backend.unlockAddress: is required when lockAddress is set: locking needs both addresses",
    ]);
  });

  it("wants exactly one of workspace name and prefix", () => {
    expect(problemsFor("{ type: remote, organization: acme, workspaces: { name: a, prefix: b } }")).toEqual([
      "stacks.prod.backend.workspaces: set exactly one of name (one workspace for this stack, e.g. qlik-okta-iac-prod) or prefix (workspaces chosen with TF_WORKSPACE)",
    ]);
  });

  it("warns when S3 state would be neither locked nor encrypted", () => {
    const { warnings } = parseConfig(withBackend("{ type: s3, bucket: acme-terraform-state, useLockfile: false, encrypt: false }"));
    expect(warnings).toEqual([
      "stacks.prod.backend.useLockfile: state is not locked: two runs at once (a merge and a drift check) can overwrite each other's state; keep useLockfile: true (Terraform >= 1.10, OpenTofu >= 1.10) or set dynamodbTable",
      "stacks.prod.backend.encrypt: the state holds the Okta client secret; keep encrypt: true (S3 server-side encryption), and consider OpenTofu state encryption (docs/state.md)",
    ]);
  });

  it("does not warn about locking while DynamoDB still locks", () => {
    const { warnings } = parseConfig(withBackend("{ type: s3, bucket: acme-terraform-state, useLockfile: false, dynamodbTable: tf-locks }"));
    expect(warnings).toEqual([]);
  });

  it("warns about an unlocked or plain-http HTTP backend", () => {
    const { warnings } = parseConfig(withBackend("{ type: http, address: http://state.example.com/prod }"));
    expect(warnings).toEqual([
      'stacks.prod.backend.address: "http://state.example.com/prod" is plain http: the state (with the Okta client secret) and TF_HTTP_PASSWORD would cross the network unencrypted; use https',
      "stacks.prod.backend.lockAddress: state is not locked: without lockAddress and unlockAddress two runs at once can overwrite each other's state",
    ]);
  });

  it("still reports problems of other sections next to a backend problem", () => {
    const text = withBackend("{ type: s3 }").replace("https://acme.okta.com", "http://acme.okta.com");
    let problems: string[] = [];
    try {
      parseConfig(text);
    } catch (e) {
      problems = (e as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    expect(problems).toEqual([
      "stacks.prod.backend.bucket: is required (a string)",
      'stacks.prod.okta.orgUrl: "http://acme.okta.com" must use https, e.g. https://acme.okta.com',
    ]);
  });
});
