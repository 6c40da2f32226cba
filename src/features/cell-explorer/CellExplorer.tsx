import { ViewIntro } from '../ViewIntro';

export default function CellExplorer() {
  return <ViewIntro view="explorer" />;
}
