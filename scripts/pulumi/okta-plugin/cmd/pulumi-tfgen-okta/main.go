// pulumi-tfgen-okta writes the Pulumi schema of our okta plugin: `pulumi-tfgen-okta schema --out DIR`.
// scripts/engine.sh runs it (with PULUMI_CONVERT=0: no example conversion) before building pulumi-resource-okta,
// which embeds the result.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"

	"qlikoktaiac/pulumi-okta-plugin/provider"
)

func main() {
	tfgen.Main("okta", provider.Version, provider.Provider())
}
