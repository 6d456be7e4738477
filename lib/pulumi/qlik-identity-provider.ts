import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_ROOT } from "../paths";
import type { IdpRequest } from "../qlik/request";

/**
 * The built module the dynamic provider process loads. Pulumi serializes the provider object below to JavaScript
 * text, stores it in the state (`__provider`) and runs it in a separate node process
 * (`pulumi-resource-pulumi-nodejs`), so the object only captures this path: every method requires the real
 * implementation (qlik-idp-provider.ts, compiled) there. Nothing secret is captured, and the text is the same for
 * every stack and every run.
 */
export const PROVIDER_MODULE = path.join(PROJECT_ROOT, "dist", "lib", "pulumi", "qlik-idp-provider.js");

const providerModule = PROVIDER_MODULE;

/** The serialized provider: thin forwards to the compiled module (`require` resolves inside the provider process). */
export const qlikIdpProvider: pulumi.dynamic.ResourceProvider = {
  check: (olds, news) => require(providerModule).provider.check(olds, news),
  diff: (id, olds, news) => require(providerModule).provider.diff(id, olds, news),
  create: (inputs) => require(providerModule).provider.create(inputs),
  update: (id, olds, news) => require(providerModule).provider.update(id, olds, news),
  delete: (id, props) => require(providerModule).provider.delete(id, props),
  read: (id, props) => require(providerModule).provider.read(id, props),
};

/** Properties for {@link QlikIdentityProvider}. */
export interface QlikIdentityProviderProps {
  /**
   * The Qlik step's desired state: stack, tenant hostname, the Okta app's client id, the discovery URL and the
   * identityProvider settings (what `idpRequestFromConfig` builds). Plain data, no secret.
   */
  readonly request: { readonly [K in keyof IdpRequest]: pulumi.Input<IdpRequest[K]> };
  /** The Okta app's client secret; made a Pulumi secret here whatever it was. */
  readonly clientSecret: pulumi.Input<string>;
}

/**
 * The tenant's Okta identity provider in Qlik Cloud as a Pulumi resource (article step 7), reconciled by the typed
 * Qlik core: `pulumi preview` shows the IdP's fields that would change, `up` applies them (guarded like
 * `qlik-okta idp apply`), `destroy` honours `onDestroy`. The client secret stays a Pulumi secret in the inputs
 * (encrypted in the state) and the outputs only hold its SHA-256.
 */
export class QlikIdentityProvider extends pulumi.dynamic.Resource {
  // `declare`: the base constructor sets these; a class field (ES2022) would reset them to undefined after it.
  /** The IdP's id in Qlik. @attribute */
  declare public readonly idpId: pulumi.Output<string>;
  /** Whether it is the tenant's active sign-in. @attribute */
  declare public readonly active: pulumi.Output<boolean | undefined>;
  /** Qlik's latest test-login result for a pending configuration (`pending`, `verified`, `error`). @attribute */
  declare public readonly pendingState: pulumi.Output<string | undefined>;
  /** What an admin does next (e.g. validate a test login), from the last apply. @attribute */
  declare public readonly nextSteps: pulumi.Output<string[]>;

  constructor(name: string, props: QlikIdentityProviderProps, opts?: pulumi.CustomResourceOptions) {
    super(
      qlikIdpProvider,
      name,
      {
        request: props.request,
        clientSecret: pulumi.secret(props.clientSecret),
        // Outputs (set by the provider).
        idpId: undefined,
        active: undefined,
        pendingState: undefined,
        nextSteps: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["clientSecret"] }),
      "qlik-okta",
      "QlikIdentityProvider",
    );
  }
}
