import { readdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { findOnPath } from "../../lib/engine";
import { tempDir } from "../tmp";

/**
 * process.env.PATH with `go` taken out and everything else kept: a directory holding go is replaced by a temp
 * directory of links to its other entries (so a distro go in /usr/bin does not take bash and coreutils with it).
 */
export function pathWithoutGo(): string {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => {
      if (!findOnPath("go", { PATH: dir })) return dir;
      const links = tempDir("qlik-okta-nogo-");
      for (const name of readdirSync(dir)) if (name !== "go") symlinkSync(path.join(dir, name), path.join(links, name));
      return links;
    })
    .join(path.delimiter);
}
