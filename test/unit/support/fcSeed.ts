// Property tests (fast-check) run from one seed, so a run is reproducible and CI does not fail
// on a case no one can replay. FC_SEED=<n> picks another seed, FC_SEED=random a fresh one per
// run (printed), to explore more cases locally; a failure report always names its seed.
import fc from 'fast-check';

const env = process.env.FC_SEED;
const seed = env === 'random' ? Math.floor(Math.random() * 2 ** 31) : env !== undefined && /^-?\d+$/.test(env) ? Number(env) : 20261202;
if (env !== undefined) console.log(`fast-check seed ${seed} (FC_SEED=${env})`);
fc.configureGlobal({ seed });
