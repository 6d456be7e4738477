// The dynamic provider host: @pulumi/pulumi's own (cmd/dynamic-provider, from the project's node_modules, resolved
// from this file's location), plus one thing it lacks — a diff's `detailedDiff`. The stock host passes only `changes`
// and `replaces` to the engine, so `pulumi preview` could not show which of the Qlik IdP's fields change. Our
// provider (dist/lib/pulumi/qlik-idp-provider.js) leaves its detailedDiff on a process-wide channel keyed by the
// resource id; this wraps the gRPC service's Diff to put it into the DiffResponse. Plain JavaScript: it runs without
// a build.
"use strict";
const path = require("node:path");

const projectRoot = path.resolve(__dirname, "..", "..");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [projectRoot] }));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
const provproto = require(path.join(pulumiDir, "proto", "provider_pb"));

// The same symbol as DETAILED_DIFF_CHANNEL in lib/pulumi/qlik-idp-provider.ts.
const CHANNEL = Symbol.for("qlik-okta-iac.pulumi.detailedDiff");
const KINDS = { add: provproto.PropertyDiff.Kind.ADD, update: provproto.PropertyDiff.Kind.UPDATE, delete: provproto.PropertyDiff.Kind.DELETE };

const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service, implementation) {
  if (implementation && typeof implementation.diff === "function") {
    const diff = implementation.diff.bind(implementation);
    implementation.diff = (call, callback) =>
      diff(call, (err, resp) => {
        const channel = globalThis[CHANNEL];
        const id = call.request.getId();
        const detailed = channel && channel.get(id);
        if (channel) channel.delete(id);
        if (!err && resp && detailed) {
          const map = resp.getDetaileddiffMap();
          for (const [key, kind] of Object.entries(detailed)) {
            const pd = new provproto.PropertyDiff();
            pd.setKind(KINDS[kind] ?? KINDS.update);
            pd.setInputdiff(false);
            map.set(key, pd);
          }
          resp.setHasdetaileddiff(true);
        }
        callback(err, resp);
      });
  }
  return addService.call(this, service, implementation);
};

require(path.join(pulumiDir, "cmd", "dynamic-provider"));
