import { UserFacingError } from "../errors";

/** Every error of the Pulumi variant, written for the user: what failed and what to do, in one line. */
export class PulumiVariantError extends UserFacingError {
  public override readonly name: string = "PulumiVariantError";
}

export const pulumiNotFoundError = (tried: string): PulumiVariantError =>
  new PulumiVariantError(
    `qlik-okta pulumi needs the Pulumi CLI v3.276.0 and the okta plugin (pulumi-resource-okta v4.20.0): ${tried}; ` +
      "run `npm run engine` to provision them (it exports QLIK_OKTA_PULUMI_BIN), or put `pulumi` on PATH",
  );

export const pulumiLayoutError = (binDir: string): PulumiVariantError =>
  new PulumiVariantError(`QLIK_OKTA_PULUMI_BIN=${binDir}: the Pulumi CLI must be <dir>/bin/pulumi (the Automation API runs <root>/bin/pulumi); point it at that bin directory`);

export const missingPassphraseError = (): PulumiVariantError =>
  new PulumiVariantError(
    "set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): the passphrase that encrypts this stack's secrets " +
      "(the Okta client secret) in the Pulumi state; keep it with your CI secrets, the same one every run",
  );

export const pulumiActionError = (action: string): PulumiVariantError =>
  new PulumiVariantError(`unknown action ${JSON.stringify(action)}: use qlik-okta pulumi preview|up|destroy`);

export const pulumiStackChoiceError = (file: string, names: readonly string[]): PulumiVariantError =>
  new PulumiVariantError(`${file} has ${names.length} stacks (${names.join(", ")}): pass --stack NAME`);

export const pulumiRunError = (action: string, stack: string, detail: string): PulumiVariantError =>
  new PulumiVariantError(`pulumi ${action} of stack ${stack} failed: ${detail}`);

/**
 * `adopted:` is the Terraform flow's: its ids become import blocks that may be followed by in-place updates. A Pulumi
 * import must match the existing object exactly, so the same config would create a second app instead.
 */
export const adoptedNotSupportedError = (stack: string): PulumiVariantError =>
  new PulumiVariantError(
    `stacks.${stack}.adopted: adopting objects made by hand is done by the Terraform flow (qlik-okta plan/apply imports them); ` +
      "qlik-okta pulumi would create a second Okta app beside them. Remove adopted: to start fresh with Pulumi, or use qlik-okta plan",
  );
