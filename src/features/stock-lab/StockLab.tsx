import { ViewIntro } from '../ViewIntro';

export default function StockLab() {
  return <ViewIntro view="stock" />;
}
