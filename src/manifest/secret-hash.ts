/**
 * The name suffix of `kubectl create secret --append-hash`, as kubectl computes it
 * (https://github.com/kubernetes/kubectl/blob/master/pkg/util/hash/hash.go SecretHash):
 * sha256 over the Go JSON of {data, kind, name, type} with sorted keys, hex, first 10 characters, with the
 * vowels and some digits swapped so the suffix can never spell words.
 */
import { createHash } from "node:crypto";
import { encodeGoJson, goMap } from "../dockerconfig/index.js";
import type { SecretManifest } from "./secret-manifest.js";

const CONFUSABLES: Readonly<Record<string, string>> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };

export function secretHash(secret: Pick<SecretManifest, "name" | "type" | "data">): string {
  // kubectl hashes a Go map, so every level is key-sorted.
  const encoded = encodeGoJson(
    goMap({ data: goMap(secret.data), kind: "Secret", name: secret.name, type: secret.type }),
  );
  const hex = createHash("sha256").update(encoded, "utf8").digest("hex");
  return [...hex.slice(0, 10)].map((c) => CONFUSABLES[c] ?? c).join("");
}

export function withHashSuffix<T extends SecretManifest>(secret: T): T {
  return { ...secret, name: `${secret.name}-${secretHash(secret)}` };
}
