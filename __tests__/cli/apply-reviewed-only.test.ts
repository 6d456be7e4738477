/**
 * `qlik-okta apply` applies what was reviewed, in Qlik too: a change the tenant needs since the plan (an admin
 * validated the test login in between) waits for the next plan instead of happening unseen.
 */
import { Sandbox, startSandbox } from "../../lib/emulators/sandbox";
import { unreviewedQlikActions } from "../../lib/pipeline/apply-stack";
import { engineLikelyAvailable, ensureBuilt, exampleConfig, requireEngine, runCli, workspace } from "../e2e/helpers";
import { removeTempDirs } from "../tmp";

afterAll(removeTempDirs); // every tempDir()/workspace() of this file

describe("unreviewedQlikActions", () => {
  it("allows what the reviewed plan listed, and nothing else", () => {
    const reviewed = { status: "planned" as const, report: { command: "plan", ok: true, actions: [{ kind: "patch", summary: "", status: "planned" }] } } as const;
    expect(unreviewedQlikActions(reviewed, [{ kind: "patch" }])).toEqual([]);
    expect(unreviewedQlikActions(reviewed, [{ kind: "promote" }, { kind: "activate" }])).toEqual(["promote", "activate"]);
    expect(unreviewedQlikActions(reviewed, [{ kind: "none" }])).toEqual([]);
  });

  it("allows the create a first plan announced, but not more", () => {
    const first = { status: "after-okta" as const, reason: "no Okta app in the state yet" };
    expect(unreviewedQlikActions(first, [{ kind: "create" }])).toEqual([]);
    expect(unreviewedQlikActions(first, [{ kind: "activate" }])).toEqual(["activate"]);
  });
});

const suite = engineLikelyAvailable() ? describe : describe.skip;

suite("qlik-okta apply and a Qlik change nobody reviewed", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    ensureBuilt();
    await requireEngine();
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("does not promote a configuration validated after the plan was made", async () => {
    const dir = workspace(exampleConfig());
    const run = async (args: string[]) => {
      const r = await runCli(args, dir, sandbox.env);
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    // GIVEN the stack applied, and a plan with nothing to do
    expect((await run(["plan"])).code).toBe(2);
    expect((await run(["apply"])).code).toBe(0);
    expect((await run(["plan"])).code).toBe(0);
    // WHEN an admin validates the test login after that plan, and the reviewed (empty) plan is applied
    const [idp] = sandbox.qlik.idps() as { id: string }[];
    sandbox.qlik.completeVerification(idp.id);
    const applied = await run(["apply"]);
    // THEN the promotion waits for a plan that shows it
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("the Qlik IdP now needs promote, which the reviewed plan did not show; run qlik-okta plan to review it");
    expect(sandbox.qlik.idps()[0]).toMatchObject({ pendingState: "verified" });
    expect((sandbox.qlik.idps()[0] as { options?: unknown }).options).toBeUndefined();
    // AND the next plan shows it, and applying that plan does it
    expect((await run(["plan"])).code).toBe(2);
    expect((await run(["apply"])).code).toBe(0);
    expect((sandbox.qlik.idps()[0] as { options?: unknown }).options).toBeDefined();
  });
});
