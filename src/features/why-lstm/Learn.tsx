import { useTranslation } from 'react-i18next';
import { gateColor } from '../../components/GatePalette';
import { TexText } from '../../components/TexText';

export function Learn() {
  const { t } = useTranslation();
  const gates = ['forget', 'input', 'candidate', 'output'] as const;
  return (
    <section className="card learn" aria-labelledby="learn-title">
      <h3 id="learn-title">{t('why.learn.title')}</h3>
      <p data-testid="learn-intro">
        <TexText text={t('why.learn.intro')} />
      </p>
      <ul className="gate-list">
        {gates.map((g) => (
          <li key={g} style={{ borderLeftColor: gateColor(g) }}>
            <strong>{t(`palette.${g}`)}</strong> — <TexText text={t(`why.learn.${g}`)} />
          </li>
        ))}
      </ul>
      <p data-testid="learn-cell">
        <TexText text={t('why.learn.cell')} />
      </p>
      <p>
        <a href="#/explorer">{t('why.learn.toExplorer')}</a>
      </p>
      <h4>{t('why.learn.references')}</h4>
      <ul className="refs">
        <li>
          Sepp Hochreiter, Jürgen Schmidhuber. <cite>Long Short-Term Memory</cite>. Neural
          Computation 9(8):1735–1780, 1997.{' '}
          <a
            href="https://www.bioinf.jku.at/publications/older/2604.pdf"
            rel="noreferrer"
            target="_blank"
          >
            bioinf.jku.at/publications/older/2604.pdf
          </a>
        </li>
        <li>
          Felix A. Gers, Jürgen Schmidhuber, Fred Cummins.{' '}
          <cite>Learning to Forget: Continual Prediction with LSTM</cite>. Neural Computation
          12(10), 2000.
        </li>
        <li>
          Yoshua Bengio, Patrice Simard, Paolo Frasconi.{' '}
          <cite>Learning Long-Term Dependencies with Gradient Descent is Difficult</cite>. IEEE
          Transactions on Neural Networks 5(2), 1994.
        </li>
        <li>
          Klaus Greff, Rupesh K. Srivastava, Jan Koutník, Bas R. Steunebrink, Jürgen Schmidhuber.{' '}
          <cite>LSTM: A Search Space Odyssey</cite>. IEEE Transactions on Neural Networks and
          Learning Systems 28(10), 2017.
        </li>
        <li>
          Andrej Karpathy, Justin Johnson, Li Fei-Fei.{' '}
          <cite>Visualizing and Understanding Recurrent Networks</cite>. ICLR workshop, 2016
          (arXiv:1506.02078, 2015).
        </li>
        <li>
          Junyoung Chung, Caglar Gulcehre, KyungHyun Cho, Yoshua Bengio.{' '}
          <cite>Empirical Evaluation of Gated Recurrent Neural Networks on Sequence Modeling</cite>.
          arXiv:1412.3555, 2014.
        </li>
      </ul>
    </section>
  );
}
