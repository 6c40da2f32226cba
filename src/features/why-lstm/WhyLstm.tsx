import { ViewIntro } from '../ViewIntro';

export default function WhyLstm() {
  return <ViewIntro view="why" />;
}
