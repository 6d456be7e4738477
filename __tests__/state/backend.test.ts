import { Testing } from "cdktf";
import { parseConfig } from "../../lib/config";
import { QlikOktaStack } from "../../lib/qlik-okta-stack";
import { localStatePath } from "../../lib/state";

/** The `terraform.backend` block each `stacks.<name>.backend` synthesizes to, exactly. */

function backendJson(backend: string | undefined, stack = "prod"): Record<string, unknown> {
  const text = `
stacks:
  ${stack}:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
${backend ? `    backend: ${backend}\n` : ""}`;
  const config = parseConfig(text).stacks[stack];
  const app = Testing.app();
  const synthesized = JSON.parse(Testing.synth(new QlikOktaStack(app, stack, { config, cliCommand: ["qlik-okta"] })));
  return synthesized.terraform.backend;
}

describe("state backend in cdk.tf.json", () => {
  it("keeps local state beside the project by default", () => {
    expect(backendJson(undefined)).toEqual({ local: { path: "../../../terraform.prod.tfstate" } });
  });

  it("takes a relative local path from the project directory and keeps an absolute one", () => {
    expect(backendJson("{ type: local, path: state/prod.tfstate }")).toEqual({ local: { path: "../../../state/prod.tfstate" } });
    expect(backendJson("{ type: local, path: /var/lib/qlik-okta/prod.tfstate }")).toEqual({
      local: { path: "/var/lib/qlik-okta/prod.tfstate" },
    });
  });

  it("locks S3 state with a lock file and encrypts it, under a per-stack key", () => {
    // WHEN
    const json = backendJson("{ type: s3, bucket: acme-terraform-state, region: eu-west-1 }");
    // THEN use_lockfile is there although cdktf 0.21's S3Backend has no such property (added by override)
    expect(json).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        key: "qlik-okta-iac/prod.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("writes every S3 setting in its current (non-deprecated) form", () => {
    const json = backendJson(
      "{ type: s3, bucket: acme-terraform-state, key: iam/qlik.tfstate, region: us-east-1, encrypt: true, kmsKeyId: alias/tfstate, " +
        "useLockfile: false, dynamodbTable: tf-locks, roleArn: 'arn:aws:iam::123456789012:role/tfstate', profile: ci, " +
        "endpoint: 'https://minio.example.com', usePathStyle: true }",
    );
    expect(json).toEqual({
      s3: {
        bucket: "acme-terraform-state",
        key: "iam/qlik.tfstate",
        region: "us-east-1",
        encrypt: true,
        kms_key_id: "alias/tfstate",
        dynamodb_table: "tf-locks",
        profile: "ci",
        use_path_style: true,
        assume_role: { role_arn: "arn:aws:iam::123456789012:role/tfstate" },
        endpoints: { s3: "https://minio.example.com" },
      },
    });
  });

  it("keeps stacks that share a bucket apart by key", () => {
    expect((backendJson("{ type: s3, bucket: acme-terraform-state }", "dev").s3 as { key: string }).key).toBe("qlik-okta-iac/dev.tfstate");
  });

  it("writes a GCS backend with a per-stack prefix", () => {
    expect(backendJson("{ type: gcs, bucket: acme-terraform-state, impersonateServiceAccount: tf@acme.iam.gserviceaccount.com }")).toEqual({
      gcs: {
        bucket: "acme-terraform-state",
        prefix: "qlik-okta-iac/prod",
        impersonate_service_account: "tf@acme.iam.gserviceaccount.com",
      },
    });
  });

  it("writes an azurerm backend with Entra ID auth and a per-stack key", () => {
    expect(
      backendJson(
        "{ type: azurerm, resourceGroupName: tfstate-rg, storageAccountName: acmetfstate, containerName: tfstate, " +
          "useAzureadAuth: true, useOidc: true, subscriptionId: 00000000-0000-0000-0000-000000000001 }",
      ),
    ).toEqual({
      azurerm: {
        resource_group_name: "tfstate-rg",
        storage_account_name: "acmetfstate",
        container_name: "tfstate",
        key: "qlik-okta-iac/prod.tfstate",
        subscription_id: "00000000-0000-0000-0000-000000000001",
        use_azuread_auth: true,
        use_oidc: true,
      },
    });
  });

  it("writes an HTTP backend with its lock endpoints and no credentials", () => {
    expect(
      backendJson(
        "{ type: http, address: https://state.example.com/prod, lockAddress: https://state.example.com/prod/lock, " +
          "unlockAddress: https://state.example.com/prod/lock, lockMethod: PUT, unlockMethod: DELETE }",
      ),
    ).toEqual({
      http: {
        address: "https://state.example.com/prod",
        lock_address: "https://state.example.com/prod/lock",
        unlock_address: "https://state.example.com/prod/lock",
        lock_method: "PUT",
        unlock_method: "DELETE",
      },
    });
  });

  it("writes a remote (HCP Terraform) backend with one workspace per stack by default", () => {
    expect(backendJson("{ type: remote, organization: acme }")).toEqual({
      remote: { organization: "acme", workspaces: { name: "qlik-okta-iac-prod" } },
    });
    expect(backendJson("{ type: remote, hostname: tfe.acme.com, organization: acme, workspaces: { prefix: qlik- } }")).toEqual({
      remote: { hostname: "tfe.acme.com", organization: "acme", workspaces: { prefix: "qlik-" } },
    });
  });
});

describe("localStatePath", () => {
  it("climbs out of cdktf.out/stacks/<stack> for relative paths only", () => {
    expect(localStatePath("terraform.prod.tfstate")).toBe("../../../terraform.prod.tfstate");
    expect(localStatePath("/srv/state/prod.tfstate")).toBe("/srv/state/prod.tfstate");
  });
});
