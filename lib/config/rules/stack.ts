import { ConfigProblem, shown } from "../errors";

/**
 * The stack name: the key under `stacks:` in the config file. It becomes a directory (`cdktf.out/stacks/<name>`), part
 * of Terraform state file names and keys, and part of the managed-by marker on Qlik, so it must be a short identifier
 * that is safe in all of those places; anything else is refused here, before it can produce an odd path or state key.
 */

export const STACK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

export function checkStackName(name: string, path: string): ConfigProblem[] {
  if (STACK_NAME_PATTERN.test(name)) return [];
  return [
    {
      path,
      message:
        `stack name ${shown(name)} is not valid: use 1-63 letters, digits, "-" or "_", starting with a letter ` +
        `(it becomes the directory cdktf.out/stacks/<name> and part of Terraform state names)`,
    },
  ];
}
