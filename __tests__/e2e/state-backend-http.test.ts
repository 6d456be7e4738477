/**
 * A remote backend through the real engine: a stack whose `backend: { type: http, … }` comes from the config file,
 * synthesized by the project, keeps its state on a (local, in-test) HTTP state server, with locking, credentials
 * only from TF_HTTP_USERNAME / TF_HTTP_PASSWORD, and, with TF_ENCRYPTION, nothing but ciphertext on the server.
 */
import { createServer, IncomingMessage, Server } from "node:http";
import { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { App, DataResource, TerraformStack } from "cdktf";
import { parseConfig } from "../../lib/config";
import { Engine } from "../../lib/engine";
import { apply, EngineCommandError, heldLockId, init, plan, runEngine } from "../../lib/engine/run";
import { PROJECT_ROOT } from "../../lib/paths";
import { addStateBackend } from "../../lib/state";
import { engineLikelyAvailable, envFor, requireEngine } from "./helpers";
import { removeTempDirs, tempDir } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

const CANARY = "CANARY-http-state-value-3d7a";
const USER = "state-user";
const PASSWORD = "CANARY-http-password-b81f";

/** The HTTP backend protocol (GET/POST state, LOCK/UNLOCK), with basic auth, recording every request. */
class StateServer {
  state: string | undefined;
  lock: string | undefined;
  readonly requests: string[] = [];
  private server!: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const body = await readBody(req);
      const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
      this.requests.push(`${req.method} ${req.url?.split("?")[0]}`);
      if (req.headers.authorization !== expected) return void res.writeHead(401).end();
      switch (req.method) {
        case "GET":
          return void (this.state === undefined ? res.writeHead(404).end() : res.writeHead(200).end(this.state));
        case "POST":
          this.state = body;
          return void res.writeHead(200).end();
        case "LOCK":
          if (this.lock) return void res.writeHead(423, { "Content-Type": "application/json" }).end(this.lock);
          this.lock = body;
          return void res.writeHead(200).end();
        case "UNLOCK":
          this.lock = undefined;
          return void res.writeHead(200).end();
        default:
          return void res.writeHead(405).end();
      }
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const suite = engineLikelyAvailable() ? describe : describe.skip;
jest.setTimeout(120_000);

suite("state on an HTTP backend, with locking, through the real engine", () => {
  let engine: Engine;
  const server = new StateServer();
  let stackDir: string;
  let encryption: string;
  const env = () => envFor(engine, { TF_HTTP_USERNAME: USER, TF_HTTP_PASSWORD: PASSWORD, TF_ENCRYPTION: encryption });

  beforeAll(async () => {
    engine = await requireEngine();
    await server.start();
    // GIVEN a backend from the config file, as a user writes it
    const config = parseConfig(`
stacks:
  tiny:
    okta: { orgUrl: https://acme.okta.com }
    qlik: { tenantHostname: acme.eu.qlikcloud.com }
    backend:
      type: http
      address: ${server.url}/state/tiny
      lockAddress: ${server.url}/state/tiny
      unlockAddress: ${server.url}/state/tiny
`);
    const project = tempDir("qlik-okta-http-state-");
    const app = new App({ outdir: path.join(project, "cdktf.out"), skipValidation: true });
    const stack = new TerraformStack(app, "tiny");
    addStateBackend(stack, "tiny", config.stacks.tiny.backend);
    new DataResource(stack, "canary", { input: { value: CANARY } });
    app.synth();
    stackDir = path.join(project, "cdktf.out", "stacks", "tiny");
    // OpenTofu encrypts what it sends to the backend too; Terraform has no encryption (the assertions adapt).
    const script = spawnSync("bash", [path.join(PROJECT_ROOT, "scripts", "tf-encryption.sh")], {
      env: { PATH: process.env.PATH, TF_STATE_PASSPHRASE: "http-backend-passphrase-0042" },
      encoding: "utf8",
    });
    encryption = engine.name === "tofu" ? script.stdout : "";
  });

  afterAll(() => server.close());

  it("writes no credential into cdk.tf.json", () => {
    const text = readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
    expect(JSON.parse(text).terraform.backend).toEqual({
      http: { address: `${server.url}/state/tiny`, lock_address: `${server.url}/state/tiny`, unlock_address: `${server.url}/state/tiny` },
    });
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(USER);
  });

  it("plans and applies with the state on the server, locked while it works", async () => {
    // WHEN
    await init(engine, stackDir, { env: env() });
    await plan(engine, stackDir, { env: env(), out: "tfplan" });
    await apply(engine, stackDir, "tfplan", { env: env() });
    // THEN the server holds the state and saw it locked around the write
    expect(server.state).toBeDefined();
    expect(server.lock).toBeUndefined();
    const writes = server.requests.filter((r) => r !== "GET /state/tiny");
    expect(writes).toEqual(expect.arrayContaining(["LOCK /state/tiny", "POST /state/tiny", "UNLOCK /state/tiny"]));
    expect(writes.indexOf("LOCK /state/tiny")).toBeLessThan(writes.lastIndexOf("POST /state/tiny"));
    expect(writes.lastIndexOf("POST /state/tiny")).toBeLessThan(writes.lastIndexOf("UNLOCK /state/tiny"));
    // and a second plan reads it back: no changes
    expect((await plan(engine, stackDir, { env: env(), detailedExitcode: true })).changes).toBe(false);
  });

  it("keeps only ciphertext on the server when OpenTofu encryption is on", () => {
    if (engine.name !== "tofu") return; // Terraform stores plaintext: exactly why state encryption is OpenTofu's
    expect(server.state).not.toContain(CANARY);
    expect(JSON.parse(server.state as string)).toHaveProperty("encrypted_data");
  });

  it("refuses to run while someone else holds the lock", async () => {
    // GIVEN another run's lock
    server.lock = JSON.stringify({ ID: "other-run", Operation: "OperationTypeApply", Who: "ci@runner", Created: new Date().toISOString() });
    // WHEN
    const r = await runEngine(engine, ["plan", "-input=false", "-no-color", "-lock-timeout=0s"], { cwd: stackDir, env: env() });
    server.lock = undefined;
    // THEN
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error acquiring the state lock");
    expect(heldLockId(r.stderr)).toBe("other-run");
  });

  it("names the held lock and how to release it, in the one line a plan fails with", async () => {
    // GIVEN a lock a cancelled run left behind
    server.lock = JSON.stringify({ ID: "left-behind-7f3a", Operation: "OperationTypeApply", Who: "ci@runner", Created: new Date().toISOString() });
    // WHEN planning through the project's runner
    const error = await plan(engine, stackDir, { env: env(), extraArgs: ["-lock-timeout=0s"] }).catch((e: unknown) => e);
    server.lock = undefined;
    // THEN the message says what failed, the lock's id, and the command that releases it
    expect(error).toBeInstanceOf(EngineCommandError);
    const message = (error as Error).message;
    expect(message).toMatch(/^(tofu|terraform) plan failed in .* \(exit 1\): Error: Error acquiring the state lock/);
    expect(message).toContain(`; lock ID left-behind-7f3a: if no other run is going on, release it with \`${engine.name} force-unlock left-behind-7f3a\` in that directory`);
    expect(message).not.toContain("\n");
  });

  it("is refused without the credentials from the environment", async () => {
    const noCredentials = envFor(engine, { TF_ENCRYPTION: encryption });
    delete noCredentials.TF_HTTP_USERNAME;
    delete noCredentials.TF_HTTP_PASSWORD;
    const r = await runEngine(engine, ["plan", "-input=false", "-no-color"], { cwd: stackDir, env: noCredentials });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("HTTP remote state endpoint requires auth");
    expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
  });
});
