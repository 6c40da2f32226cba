import { ViewIntro } from '../ViewIntro';

export default function DigitReader() {
  return <ViewIntro view="digits" />;
}
