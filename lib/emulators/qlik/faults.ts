/**
 * Fault injection: rules are matched in the order they were added, when a request arrives (so counts are
 * deterministic under concurrency). Every matching latency rule adds its delay; the first matching "status" or
 * "drop" rule answers instead of the handlers. Each rule applies to its next `times` matching requests.
 */
import type { FaultRule } from "./types";

interface LiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

export interface FaultPlan {
  /** Total delay to apply before answering. */
  readonly delayMs: number;
  /** The rule that answers instead of the handlers, if any. */
  readonly terminal?: FaultRule;
}

function checkRule(rule: FaultRule): void {
  const times = rule.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error(`fault rule: times must be a positive integer, got ${String(rule.times)}`);
  if (rule.kind === "status") {
    if (rule.status === undefined || !Number.isInteger(rule.status) || rule.status < 100 || rule.status > 599)
      throw new Error(`fault rule: kind "status" needs an HTTP status 100–599, got ${String(rule.status)}`);
  } else if (rule.kind === "latency") {
    if (rule.delayMs === undefined || !(rule.delayMs >= 0)) throw new Error('fault rule: kind "latency" needs delayMs >= 0');
  } else if (rule.kind !== "drop") {
    throw new Error(`fault rule: unknown kind ${String((rule as { kind: unknown }).kind)}`);
  }
  if (rule.retryAfter !== undefined && !(rule.retryAfter >= 0)) throw new Error("fault rule: retryAfter must be >= 0 seconds");
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === "string") return path.startsWith(rule.path);
  rule.path.lastIndex = 0;
  return rule.path.test(path);
}

export class FaultInjector {
  private rules: LiveRule[] = [];

  add(rule: FaultRule): void {
    checkRule(rule);
    this.rules.push({ rule: { ...rule }, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** Decide, and consume, the faults for one request (`path` includes the query string). */
  take(method: string, path: string): FaultPlan {
    let delayMs = 0;
    let terminal: FaultRule | undefined;
    for (const live of this.rules) {
      if (live.remaining <= 0 || !matches(live.rule, method, path)) continue;
      live.remaining -= 1;
      if (live.rule.kind === "latency") {
        delayMs += live.rule.delayMs ?? 0;
        continue;
      }
      terminal = live.rule;
      break;
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { delayMs, terminal };
  }
}
