// pulumi-resource-okta: the okta resource plugin (package "okta", version 4.20.0) that @pulumi/okta talks to.
// schema.json is generated at build time by pulumi-tfgen-okta (never committed); see scripts/engine.sh.
package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"

	"qlikoktaiac/pulumi-okta-plugin/provider"
)

//go:embed schema.json
var schema []byte

// withVersion returns the schema with its "version" set: tfgen leaves it out so that the file is stable, and
// GetSchema should say which package version it describes.
func withVersion(spec []byte, version string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(spec, &m); err != nil {
		return nil, err
	}
	v, err := json.Marshal(version)
	if err != nil {
		return nil, err
	}
	m["version"] = v
	return json.Marshal(m)
}

func main() {
	spec, err := withVersion(schema, provider.Version)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-okta: embedded schema is not valid JSON: %v\n", err)
		os.Exit(1)
	}
	tfbridge.Main("okta", provider.Version, provider.Provider(), spec)
}
