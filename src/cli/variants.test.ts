import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELL_VARIANTS } from '../core/index';
import { cli, cliJson, tempDir } from '../test/cli';
import { hasTorch, runPython } from '../test/python';
import { maxAbsDiff, readShared } from '../test/shared';

const golden = JSON.parse(readShared('golden', 'variants_golden.json'));

/** Writes a state_dict and an input where the CLI reads them; returns their paths. */
function files(stateDict: unknown, input: unknown) {
  const dir = tempDir();
  const sd = join(dir, 'sd.json');
  const x = join(dir, 'x.json');
  writeFileSync(sd, JSON.stringify(stateDict));
  writeFileSync(x, JSON.stringify(input));
  return { sd, x };
}

/** PyTorch autograd for the variants at any shape: forward output and the gradients. */
const TORCH_VARIANTS = `
import json, sys, torch
torch.set_default_dtype(torch.float64)
v, B, T, In, H, seed = sys.argv[1], *map(int, sys.argv[2:7])
torch.manual_seed(seed)
x = torch.randn(B, T, In, requires_grad=True)
if v == 'gru':
    m = torch.nn.GRU(In, H, batch_first=True)
    out, _ = m(x)
else:
    m = torch.nn.LSTM(In, H, batch_first=True)
    h = torch.zeros(B, H); c = torch.zeros(B, H); outs = []
    for t in range(T):
        z = x[:, t] @ m.weight_ih_l0.T + m.bias_ih_l0 + h @ m.weight_hh_l0.T + m.bias_hh_l0
        zi, zf, zg, zo = z.chunk(4, 1)
        i = torch.ones_like(zi) if v == 'nig' else torch.sigmoid(zi)
        f = torch.ones_like(zf) if v == 'nfg' else (1 - i if v == 'cifg' else torch.sigmoid(zf))
        g = zg if v == 'niaf' else torch.tanh(zg)
        o = torch.ones_like(zo) if v == 'nog' else torch.sigmoid(zo)
        c = f * c + i * g
        h = o * (c if v == 'noaf' else torch.tanh(c))
        outs.append(h)
    out = torch.stack(outs, 1)
loss = out.sum()
loss.backward()
sd = {k: p.tolist() for k, p in m.state_dict().items()}
print(json.dumps({'state_dict': sd, 'input': x.tolist(), 'output': out.tolist(), 'loss': loss.item(),
  'grads': {k: p.grad.tolist() for k, p in m.named_parameters()}, 'grad_input': x.grad.tolist()}))
`;

describe('lstm-lab forward/grad --variant', () => {
  it.each(CELL_VARIANTS)(
    '%s: the golden’s outputs, loss, every gradient and the input’s, to 1e-9',
    async (v) => {
      const g = golden.variants[v];
      const { sd, x } = files(g.state_dict, golden.input);
      const fwd = await cliJson('forward', '--variant', v, '--state-dict', sd, '--input', x);
      expect(fwd.variant).toBe(v);
      expect(maxAbsDiff(fwd.output, g.output)).toBeLessThan(1e-9);
      expect(maxAbsDiff(fwd.h_n[0], g.h_n)).toBeLessThan(1e-9);
      const names = v === 'gru' ? ['r', 'z', 'n', 'h'] : ['i', 'f', 'g', 'o', 'c', 'h'];
      for (const n of names)
        expect(
          maxAbsDiff(
            fwd.layers[0].steps.map((s: Record<string, unknown>) => s[n]),
            g.steps.map((s: Record<string, unknown>) => s[n]),
          ),
          n,
        ).toBeLessThan(1e-9);
      const grad = await cliJson('grad', '--variant', v, '--state-dict', sd, '--input', x);
      expect(Math.abs(grad.loss - g.loss)).toBeLessThan(1e-9);
      for (const k of Object.keys(g.grads))
        expect(maxAbsDiff(grad.grads[k], g.grads[k]), k).toBeLessThan(1e-9);
      expect(maxAbsDiff(grad.grad_input, g.grad_input)).toBeLessThan(1e-9);
    },
  );

  it.skipIf(!hasTorch)('matches PyTorch at shapes and seeds the golden does not hold', async () => {
    for (const [k, v] of CELL_VARIANTS.entries()) {
      const [B, T, In, H] = [1 + (k % 3), 3 + k, 1 + (k % 4), 2 + (k % 5)];
      const ref = JSON.parse(
        runPython(
          { 'variants.py': TORCH_VARIANTS },
          'variants.py',
          [v, B, T, In, H, 100 + k].map(String),
        ),
      );
      const { sd, x } = files(ref.state_dict, ref.input);
      const fwd = await cliJson('forward', '--variant', v, '--state-dict', sd, '--input', x);
      expect(maxAbsDiff(fwd.output, ref.output), `${v} output`).toBeLessThan(1e-9);
      const grad = await cliJson('grad', '--variant', v, '--state-dict', sd, '--input', x);
      expect(Math.abs(grad.loss - ref.loss), `${v} loss`).toBeLessThan(1e-9);
      for (const name of Object.keys(ref.grads))
        expect(maxAbsDiff(grad.grads[name], ref.grads[name]), `${v} ${name}`).toBeLessThan(1e-9);
      expect(maxAbsDiff(grad.grad_input, ref.grad_input), `${v} input`).toBeLessThan(1e-9);
    }
  });

  it('an unknown variant, or a GRU state_dict read as an LSTM, is refused in one sentence', async () => {
    const { sd, x } = files(golden.variants.gru.state_dict, golden.input);
    const bad = await cli('forward', '--variant', 'peephole', '--state-dict', sd, '--input', x);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unknown --variant "peephole"');
    const wrong = await cli('forward', '--variant', 'cifg', '--state-dict', sd, '--input', x);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/weight_ih_l0 must be \[4H/);
  });
});
