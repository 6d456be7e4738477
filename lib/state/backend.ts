import * as path from "node:path";
import {
  AzurermBackend,
  GcsBackend,
  HttpBackend,
  LocalBackend,
  NamedRemoteWorkspace,
  PrefixedRemoteWorkspaces,
  RemoteBackend,
  S3Backend,
  TerraformBackend,
  TerraformStack,
} from "cdktf";
import {
  BackendSettings,
  defaultLocalStatePath,
  defaultRemoteWorkspace,
  defaultStateKey,
  defaultStatePrefix,
} from "../config/schema";

/**
 * Where a stack keeps its state: the backend block of `cdk.tf.json`, from `stacks.<name>.backend`. Credentials are
 * never written here; every backend reads them from the environment (docs/state.md lists the variables).
 *
 * Changing a stack's backend needs `init -migrate-state` once (see docs/state.md): the engine refuses to plan
 * against a backend block that differs from the one it was initialized with.
 */
export function addStateBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): TerraformBackend {
  switch (backend.type) {
    case "local":
      return new LocalBackend(stack, { path: localStatePath(backend.path ?? defaultLocalStatePath(stackName)) });
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key ?? defaultStateKey(stackName),
        region: backend.region,
        encrypt: backend.encrypt,
        kmsKeyId: backend.kmsKeyId,
        dynamodbTable: backend.dynamodbTable,
        profile: backend.profile,
        usePathStyle: backend.usePathStyle,
        // The nested forms: top-level role_arn and endpoint are deprecated since Terraform 1.6 / OpenTofu 1.6.
        assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
        endpoints: backend.endpoint ? { s3: backend.endpoint } : undefined,
      });
      // cdktf 0.21's S3Backend has no useLockfile (S3 native locking arrived in Terraform 1.10 / OpenTofu 1.10).
      if (backend.useLockfile) s3.addOverride("use_lockfile", true);
      return s3;
    }
    case "gcs":
      return new GcsBackend(stack, {
        bucket: backend.bucket,
        prefix: backend.prefix ?? defaultStatePrefix(stackName),
        impersonateServiceAccount: backend.impersonateServiceAccount,
        kmsEncryptionKey: backend.kmsEncryptionKey,
      });
    case "azurerm":
      return new AzurermBackend(stack, {
        resourceGroupName: backend.resourceGroupName,
        storageAccountName: backend.storageAccountName,
        containerName: backend.containerName,
        key: backend.key ?? defaultStateKey(stackName),
        subscriptionId: backend.subscriptionId,
        tenantId: backend.tenantId,
        clientId: backend.clientId,
        useAzureadAuth: backend.useAzureadAuth,
        useOidc: backend.useOidc,
        useMsi: backend.useMsi,
        environment: backend.environment,
      });
    case "http":
      return new HttpBackend(stack, {
        address: backend.address,
        lockAddress: backend.lockAddress,
        unlockAddress: backend.unlockAddress,
        updateMethod: backend.updateMethod,
        lockMethod: backend.lockMethod,
        unlockMethod: backend.unlockMethod,
        skipCertVerification: backend.skipCertVerification,
        retryMax: backend.retryMax,
        retryWaitMin: backend.retryWaitMin,
        retryWaitMax: backend.retryWaitMax,
      });
    case "remote": {
      const ws = backend.workspaces;
      return new RemoteBackend(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces:
          ws?.prefix !== undefined
            ? new PrefixedRemoteWorkspaces(ws.prefix)
            : new NamedRemoteWorkspace(ws?.name ?? defaultRemoteWorkspace(stackName)),
      });
    }
  }
}

/**
 * The engine runs in `cdktf.out/stacks/<stack>`, which synth rewrites; a relative path is taken from the project
 * directory (three levels up) so state lives beside the project and saved plans stay portable.
 */
export function localStatePath(file: string): string {
  return path.posix.isAbsolute(file) ? file : path.posix.join("..", "..", "..", file);
}
