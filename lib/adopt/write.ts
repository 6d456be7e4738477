import { parseDocument } from "yaml";
import { AdoptedIds } from "../config/schema";
import { parseConfig } from "../config/load";
import { Prefill } from "./match";

/**
 * The config file with the adoption written into it: `stacks.<name>.adopted` and the pre-filled settings, edited in
 * the YAML document so the user's comments, order and other stacks stay as they were. The result is validated
 * before it is returned: a file adopt writes always loads.
 */
export function writeAdoption(text: string, file: string, stack: string, adopted: AdoptedIds, fills: readonly Prefill[]): string {
  const doc = parseDocument(text);
  for (const fill of fills) doc.setIn(["stacks", stack, ...fill.path], doc.createNode(fill.value));
  doc.setIn(["stacks", stack, "adopted"], doc.createNode(adopted));
  const written = doc.toString();
  parseConfig(written, file);
  return written;
}
