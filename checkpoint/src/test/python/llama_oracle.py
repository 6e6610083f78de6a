#!/usr/bin/env python3
"""Proves NovaCron's shards compute: a Llama forward pass from the unsharded checkpoint, and the
same forward pass computed rank by rank from each layout's shard files, compared logit by logit.

Usage: llama_oracle.py [--processes] CHECKPOINT_DIR SHARD_DIR [SHARD_DIR ...]

With --processes every rank runs in an operating-system process of its own, holding only its own
file, and the ranks' partial sums travel through pipes (torch.distributed does not install here).

Each SHARD_DIR holds a shard-manifest.json and its rank files. Prints JSON:
  {"tokens": [...], "layouts": [{"dir": ..., "tp": T, "pp": P, "max_abs_error": E}, ...]}

The sharded pass never rebuilds a full tensor. Every rank reads only its own file (a stage only its
ranks' files) and computes what Megatron's parallel layers compute: column-parallel q/k/v/gate/up
give each rank its heads or columns; row-parallel o/down give partial products that are summed
(the all-reduce); the vocabulary-parallel embedding looks up only the rows a rank holds (others add
zero, then all-reduce) and the vocabulary-parallel lm_head gives each rank its logits (all-gather).
Stages are chained by handing the hidden state on. Everything is float32.
"""
import json
import os
import sys

import numpy as np
from safetensors.numpy import load_file

TOKENS = [1, 7, 42, 3, 95, 11, 64, 2, 30, 77, 5, 88]


def rms_norm(x, w, eps):
    var = np.mean(x * x, axis=-1, keepdims=True)
    return (x / np.sqrt(var + eps)).astype(np.float32) * w


def rope(x, positions, theta):
    """Rotates [seq, heads, head_dim] as Hugging Face's Llama does (rotate_half)."""
    d = x.shape[-1]
    inv = 1.0 / (theta ** (np.arange(0, d, 2, dtype=np.float32) / d))
    ang = np.outer(positions.astype(np.float32), inv)
    emb = np.concatenate([ang, ang], axis=-1)
    cos, sin = np.cos(emb)[:, None, :], np.sin(emb)[:, None, :]
    half = d // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return (x * cos + rotated * sin).astype(np.float32)


def attention(q, k, v, head_dim):
    """q [seq, hq, d], k/v [seq, hkv, d]; each group of hq/hkv query heads shares a KV head."""
    seq, hq, _ = q.shape
    group = hq // k.shape[1]
    k = np.repeat(k, group, axis=1)
    v = np.repeat(v, group, axis=1)
    scores = np.einsum("qhd,khd->hqk", q, k) / np.float32(np.sqrt(head_dim))
    mask = np.triu(np.ones((seq, seq), dtype=bool), 1)
    scores = np.where(mask[None], np.float32(-np.inf), scores)
    scores = scores - scores.max(axis=-1, keepdims=True)
    p = np.exp(scores)
    p = p / p.sum(axis=-1, keepdims=True)
    return np.einsum("hqk,khd->qhd", p, v).astype(np.float32)


def silu(x):
    return x / (1.0 + np.exp(-x))


class Config:
    def __init__(self, path):
        with open(os.path.join(path, "config.json")) as f:
            c = json.load(f)
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.head_dim = c.get("head_dim") or c["hidden_size"] // self.heads
        self.eps = np.float32(c.get("rms_norm_eps", 1e-6))
        self.theta = float(c.get("rope_theta", 10000.0))


def layer_part(w, cfg, x, positions, i, heads, kv_heads):
    """The attention block's output (after o_proj) from one holder of weights w: the whole of it
    for the unsharded checkpoint, one rank's partial sum for a shard."""
    p = f"model.layers.{i}."
    seq = x.shape[0]
    xn = rms_norm(x, w[p + "input_layernorm.weight"], cfg.eps)
    q = (xn @ w[p + "self_attn.q_proj.weight"].T).reshape(seq, heads, cfg.head_dim)
    k = (xn @ w[p + "self_attn.k_proj.weight"].T).reshape(seq, kv_heads, cfg.head_dim)
    v = (xn @ w[p + "self_attn.v_proj.weight"].T).reshape(seq, kv_heads, cfg.head_dim)
    q, k = rope(q, positions, cfg.theta), rope(k, positions, cfg.theta)
    out = attention(q, k, v, cfg.head_dim).reshape(seq, heads * cfg.head_dim)
    return out @ w[p + "self_attn.o_proj.weight"].T


def mlp_part(w, cfg, h, i):
    """The MLP block's output (after down_proj), whole or one rank's partial sum."""
    p = f"model.layers.{i}."
    hn = rms_norm(h, w[p + "post_attention_layernorm.weight"], cfg.eps)
    gate = hn @ w[p + "mlp.gate_proj.weight"].T
    up = hn @ w[p + "mlp.up_proj.weight"].T
    return (silu(gate) * up).astype(np.float32) @ w[p + "mlp.down_proj.weight"].T


def reference(ckpt, cfg, tokens):
    w = {}
    for name in sorted(os.listdir(ckpt)):
        if name.endswith(".safetensors"):
            w.update(load_file(os.path.join(ckpt, name)))
    positions = np.arange(len(tokens))
    h = w["model.embed_tokens.weight"][tokens]
    for i in range(cfg.layers):
        h = h + layer_part(w, cfg, h, positions, i, cfg.heads, cfg.kv_heads)
        h = h + mlp_part(w, cfg, h, i)
    hn = rms_norm(h, w["model.norm.weight"], cfg.eps)
    return hn @ w["lm_head.weight"].T


def sharded(shard_dir, cfg, tokens):
    with open(os.path.join(shard_dir, "shard-manifest.json")) as f:
        manifest = json.load(f)
    tp = manifest["tp"]
    # Where each rank's vocabulary rows start: the split the sharder chose, as its manifest says.
    # At TP 1 they are replicated whole, from row 0.
    vocab_start = {}
    for t in manifest["tensors"]:
        if t["name"] in ("model.embed_tokens.weight", "lm_head.weight"):
            for piece in t["pieces"]:
                start = piece["sliceStart"] if t["split"] == "VOCAB" else 0
                vocab_start[(t["name"], piece["rank"])] = start
    heads, kv_heads = cfg.heads // tp, max(1, cfg.kv_heads // tp)
    positions = np.arange(len(tokens))
    tokens = np.asarray(tokens)
    h = None
    logits = None
    for stage in manifest["stages"]:
        ranks = sorted((f for f in manifest["files"] if f["stage"] == stage["stage"]),
                       key=lambda f: f["tpRank"])
        # Only this stage's ranks' files are read.
        ws = [load_file(os.path.join(shard_dir, f["file"])) for f in ranks]
        if h is None:
            name = "model.embed_tokens.weight"
            partials = []
            for f, w in zip(ranks, ws):
                rows = w[name]
                lo = vocab_start[(name, f["rank"])]
                mine = (tokens >= lo) & (tokens < lo + rows.shape[0])
                part = np.zeros((len(tokens), rows.shape[1]), dtype=np.float32)
                part[mine] = rows[tokens[mine] - lo]
                partials.append(part)
            h = sum(partials)  # all-reduce
        for i in range(stage["firstLayer"], stage["endLayer"]):
            h = h + sum(layer_part(w, cfg, h, positions, i, heads, kv_heads) for w in ws)
            h = h + sum(mlp_part(w, cfg, h, i) for w in ws)
        if stage["stage"] == manifest["pp"] - 1:
            name = "lm_head.weight"
            pieces = sorted(((vocab_start[(name, f["rank"])], w) for f, w in zip(ranks, ws)),
                            key=lambda p: p[0])
            # Each rank's logits for its own vocabulary rows, gathered in vocabulary order.
            logits = np.concatenate(
                [rms_norm(h, w["model.norm.weight"], cfg.eps) @ w[name].T for _, w in pieces],
                axis=-1)
    return manifest, logits


def rank_process(conn, path, cfg, tokens, layers, embed_start, head_start):
    """One rank in a process of its own: it opens only its own file and meets the other ranks of
    its stage only through the parent, which sums what they send (a star all-reduce)."""
    heads_kv = conn.recv()
    w = load_file(path)
    positions = np.arange(len(tokens))
    if embed_start is not None:
        rows = w["model.embed_tokens.weight"]
        mine = (tokens >= embed_start) & (tokens < embed_start + rows.shape[0])
        part = np.zeros((len(tokens), rows.shape[1]), dtype=np.float32)
        part[mine] = rows[tokens[mine] - embed_start]
        conn.send(part)
    h = conn.recv()
    for i in layers:
        conn.send(layer_part(w, cfg, h, positions, i, *heads_kv))
        h = h + conn.recv()
        conn.send(mlp_part(w, cfg, h, i))
        h = h + conn.recv()
    if head_start is not None:
        conn.send((head_start, rms_norm(h, w["model.norm.weight"], cfg.eps) @ w["lm_head.weight"].T))
    conn.close()


def sharded_in_processes(shard_dir, cfg, tokens):
    """The same computation as sharded(), one operating-system process per rank."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    with open(os.path.join(shard_dir, "shard-manifest.json")) as f:
        manifest = json.load(f)
    tp = manifest["tp"]
    starts = {}
    for t in manifest["tensors"]:
        if t["name"] in ("model.embed_tokens.weight", "lm_head.weight"):
            for piece in t["pieces"]:
                starts[(t["name"], piece["rank"])] = piece["sliceStart"] if t["split"] == "VOCAB" else 0
    heads_kv = (cfg.heads // tp, max(1, cfg.kv_heads // tp))
    tokens = np.asarray(tokens)
    h = None
    logits = None
    for stage in manifest["stages"]:
        first, last = stage["stage"] == 0, stage["stage"] == manifest["pp"] - 1
        ranks = sorted((f for f in manifest["files"] if f["stage"] == stage["stage"]),
                       key=lambda f: f["tpRank"])
        layers = range(stage["firstLayer"], stage["endLayer"])
        conns, procs = [], []
        for f in ranks:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=rank_process, args=(
                child, os.path.join(shard_dir, f["file"]), cfg, tokens, layers,
                starts[("model.embed_tokens.weight", f["rank"])] if first else None,
                starts[("lm_head.weight", f["rank"])] if last else None))
            proc.start()
            child.close()
            parent.send(heads_kv)
            conns.append(parent)
            procs.append(proc)

        def all_reduce():
            total = sum(c.recv() for c in conns)
            for c in conns:
                c.send(total)
            return total

        if first:
            h = all_reduce()  # the embedding's partial rows
        else:
            for c in conns:
                c.send(h)  # the previous stage's hidden state, handed on
        for _ in layers:
            h = h + all_reduce()
            h = h + all_reduce()
        if last:
            logits = np.concatenate([l for _, l in sorted((c.recv() for c in conns),
                                                          key=lambda p: p[0])], axis=-1)
        for proc in procs:
            proc.join()
            if proc.exitcode != 0:
                sys.exit(f"{shard_dir}: a rank process exited with {proc.exitcode}")
    return manifest, logits


def main(argv):
    processes = "--processes" in argv
    argv = [a for a in argv if a != "--processes"]
    if len(argv) < 3:
        sys.exit("usage: llama_oracle.py [--processes] CHECKPOINT_DIR SHARD_DIR [SHARD_DIR ...]")
    ckpt = argv[1]
    cfg = Config(ckpt)
    want = reference(ckpt, cfg, TOKENS)
    assert want.dtype == np.float32, want.dtype
    layouts = []
    for shard_dir in argv[2:]:
        manifest, got = (sharded_in_processes if processes else sharded)(shard_dir, cfg, TOKENS)
        if got.shape != want.shape:
            sys.exit(f"{shard_dir}: logits of shape {got.shape}, the reference has {want.shape}")
        layouts.append({"dir": shard_dir, "tp": manifest["tp"], "pp": manifest["pp"],
                        "processes": processes,
                        "max_abs_error": float(np.max(np.abs(got - want))),
                        "max_abs_logit": float(np.max(np.abs(want)))})
    json.dump({"tokens": TOKENS, "layouts": layouts}, sys.stdout)
    print()


if __name__ == "__main__":
    main(sys.argv)
