/**
 * Korean particles chosen from the word they follow. A translation writes a pair the way Korean
 * style guides do — `을(를)`, `은(는)`, `이(가)`, `과(와)`, `(으)로`, `(이)나` — and `resolveParticles`
 * replaces it with the one form that fits the preceding word: 률 → 을, 2,368 (이천삼백육십팔) → 은,
 * 0.02276 (…칠육) → 으로, 0 (영) → 으로, 1 (일) → 로 (ㄹ takes 로).
 */

/** The final sound of the word before a particle: none (a vowel), ㄹ, or another consonant. */
export type Final = 'none' | 'rieul' | 'other';

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;

function hangulFinal(ch: string): Final {
  const jong = (ch.codePointAt(0)! - HANGUL_FIRST) % 28;
  return jong === 0 ? 'none' : jong === 8 ? 'rieul' : 'other';
}

/** How the last digit is read: 영 일 이 삼 사 오 육 칠 팔 구. */
const DIGIT_FINAL: Final[] = [
  'other',
  'rieul',
  'none',
  'other',
  'none',
  'none',
  'other',
  'rieul',
  'rieul',
  'none',
];

/**
 * A whole number's last spoken syllable: trailing zeros are read as a place (십 백 천 만 억 조),
 * so 20 is 이십 (ㅂ), 300 백 (ㄱ), 4,000 천 (ㄴ), 50,000 만 (ㄴ).
 */
function integerFinal(digits: string): Final {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed === '0') return 'other'; // 영
  const zeros = trimmed.length - trimmed.replace(/0+$/, '').length;
  if (zeros === 0) return DIGIT_FINAL[Number(trimmed[trimmed.length - 1])];
  // 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), 만 (ㄴ), 억 (ㄱ) end in a consonant; only 조 (10¹²) in a vowel.
  return zeros === 12 ? 'none' : 'other';
}

/** Latin letters as Korean reads them: spelled acronyms (RNN 알엔엔) or the word's last sound. */
function latinFinal(word: string): Final {
  const last = word[word.length - 1];
  if (/^[A-Z]{2,}$/.test(word) || word.length === 1) {
    // Letter names: L 엘, R 알 (ㄹ); M 엠, N 엔 (other); the rest end in a vowel.
    const up = last.toUpperCase();
    return up === 'L' || up === 'R' ? 'rieul' : up === 'M' || up === 'N' ? 'other' : 'none';
  }
  // A word, read as Korean writes loanwords: a silent final e drops (Volume 볼륨, Close 클로즈),
  // l ends in ㄹ (Model 모델), m/n/ng and ck in a consonant (Open 오픈, Tick 틱), the rest in a vowel
  // (Date 데이트, High 하이).
  const w = word.toLowerCase().replace(/([^aeiou])e$/, '$1');
  if (/l$/.test(w)) return 'rieul';
  if (/(m|n|ck)$/.test(w) || /ng$/.test(w)) return 'other';
  return 'none';
}

const UNIT_FINAL: Record<string, Final> = {
  '%': 'none', // 퍼센트
  '×': 'none', // 배
  '°': 'none', // 도
  $: 'rieul', // 달러
  '₩': 'other', // 원
};

/**
 * The final sound of the text just before a particle. It looks past closing quotes and
 * brackets to the word itself; an unknown sign counts as a vowel (the lighter form).
 */
export function finalOf(text: string): Final {
  const t = text.replace(/[\s"'”’)\]}」』>]+$/u, '');
  if (!t) return 'none';
  const ch = t[t.length - 1];
  const code = ch.codePointAt(0)!;
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) return hangulFinal(ch);
  if (/\d/.test(ch)) {
    const num = /[\d,]*\.?\d+$/.exec(t)![0].replace(/,/g, '');
    const dot = num.indexOf('.');
    // After a decimal point each digit is read alone (영 점 영이이칠육 → 육).
    return dot >= 0 ? DIGIT_FINAL[Number(num[num.length - 1])] : integerFinal(num);
  }
  if (ch in UNIT_FINAL) return UNIT_FINAL[ch];
  if (/[A-Za-z]/.test(ch)) return latinFinal(/[A-Za-z]+$/.exec(t)![0]);
  return 'none';
}

/** Pairs written "after a consonant(after a vowel)", and the forms that put the vowel first. */
const PAIRS: Record<string, [consonant: string, vowel: string]> = {
  '을(를)': ['을', '를'],
  '를(을)': ['을', '를'],
  '은(는)': ['은', '는'],
  '는(은)': ['은', '는'],
  '이(가)': ['이', '가'],
  '가(이)': ['이', '가'],
  '과(와)': ['과', '와'],
  '와(과)': ['과', '와'],
  '아(야)': ['아', '야'],
};

/** The particle for a word: (으)로 takes 로 after a vowel or ㄹ; the others split vowel/consonant. */
export function particleFor(final: Final, pair: string): string {
  if (pair === '(으)로') return final === 'other' ? '으로' : '로';
  const optional = /^\(이\)(.+)$/.exec(pair); // (이)나, (이)라고, (이)에요…
  if (optional) return final === 'none' ? optional[1] : `이${optional[1]}`;
  const forms = PAIRS[pair];
  if (!forms) return pair;
  return final === 'none' ? forms[1] : forms[0];
}

const PATTERN =
  /(을\(를\)|를\(을\)|은\(는\)|는\(은\)|이\(가\)|가\(이\)|과\(와\)|와\(과\)|아\(야\)|\(으\)로|\(이\)[가-힣]+)/gu;

/** Replaces every particle pair in a sentence by the form its preceding word takes. */
export function resolveParticles(sentence: string): string {
  return sentence.replace(PATTERN, (pair, _p, offset: number) =>
    particleFor(finalOf(sentence.slice(0, offset)), pair),
  );
}

/** True when a sentence still holds an unresolved pair (what the UI must never show). */
export const hasParticlePair = (text: string) => new RegExp(PATTERN.source, 'u').test(text);
