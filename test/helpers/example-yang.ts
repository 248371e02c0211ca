/**
 * A small YANG module set for the tests of schema discovery, JSON in and out and the `yang`
 * command: a module importing another (identity, typedef) and including a submodule (a grouping
 * with a list and an action), with an RPC and a notification.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SYS_NS = 'urn:example:sys';
export const TYPES_NS = 'urn:example:types';

export const TYPES_MODULE = `module example-types {
  yang-version 1.1;
  namespace "${TYPES_NS}";
  prefix ext;
  revision 2024-01-01;
  identity role;
  identity admin { base role; }
  typedef percent { type uint8 { range "0..100"; } }
}
`;

export const SYS_MODULE = `module example-sys {
  yang-version 1.1;
  namespace "${SYS_NS}";
  prefix sys;
  import example-types { prefix ext; }
  include example-sys-sub;
  revision 2024-02-02;
  feature fancy;
  container system {
    leaf hostname { type string; }
    leaf enabled { type boolean; }
    leaf load { type ext:percent; }
    leaf counter { type uint64; }
    leaf role { type identityref { base ext:role; } }
    leaf fancy-name { if-feature fancy; type string; }
    uses users;
  }
  rpc restart {
    input { leaf delay { type uint16; } }
    output { leaf message { type string; } }
  }
  notification overheated {
    leaf load { type ext:percent; }
  }
}
`;

export const SYS_SUBMODULE = `submodule example-sys-sub {
  yang-version 1.1;
  belongs-to example-sys { prefix sys; }
  revision 2024-02-02;
  grouping users {
    list user {
      key name;
      leaf name { type string; }
      leaf uid { type uint32; }
      action lock-out { input { leaf minutes { type uint8; } } }
    }
  }
}
`;

/** Write the three files (name@revision.yang) into `dir` (created); returns `dir`. */
export async function writeExampleModules(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'example-types@2024-01-01.yang'), TYPES_MODULE);
  await writeFile(join(dir, 'example-sys@2024-02-02.yang'), SYS_MODULE);
  await writeFile(join(dir, 'example-sys-sub@2024-02-02.yang'), SYS_SUBMODULE);
  return dir;
}
