import { isStrategy, type Provider } from '../spec.js';

/** What a configured client is, as the registry parsed it: for hosts that check configs (the gateway). */
export interface ClientInfo {
  name: string;
  /** Where it was defined: `clients[2]`, `addLlmClient('Fast')`. */
  path: string;
  /** Its provider (a model provider or a strategy), with what it declares. */
  provider: Provider;
  /** The client references a strategy names; empty for a leaf. */
  members: string[];
  /** How deep strategies nest under it: 0 for a leaf, one more than its deepest member for a strategy. */
  depth: number;
}

/** The members a client names: `members(name)` is empty for a leaf, an unknown name or options that do not parse. */
export type MembersOf = (name: string) => readonly string[];

/** The strategy members a provider's parsed options name, or none (a leaf, or options it refuses). */
export function strategyMembers(provider: Provider, parse: () => unknown): string[] {
  if (!isStrategy(provider)) return [];
  try {
    return provider.members(parse());
  } catch {
    return [];
  }
}

/** A path of client names from `start` back to itself through strategy members, if there is one. */
export function findCycle(start: string, membersOf: MembersOf): string[] | undefined {
  const visit = (name: string, path: string[]): string[] | undefined => {
    for (const member of membersOf(name)) {
      if (member === start) return [...path, member];
      if (!path.includes(member)) {
        const found = visit(member, [...path, member]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(start, [start]);
}

/** How deep strategies nest under `name` (0 for a leaf); a cycle, reported by `findCycle`, stops the walk. */
export function nestingDepth(name: string, membersOf: MembersOf, seen: Set<string> = new Set()): number {
  const members = membersOf(name);
  if (members.length === 0 || seen.has(name)) return 0;
  seen.add(name);
  let deepest = 0;
  for (const member of members) deepest = Math.max(deepest, nestingDepth(member, membersOf, seen));
  seen.delete(name);
  return 1 + deepest;
}
