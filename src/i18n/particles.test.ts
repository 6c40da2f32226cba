import { describe, expect, it } from 'vitest';
import { finalOf, hasParticlePair, particleFor, resolveParticles } from './particles';

describe('Korean particles chosen from the word before them', () => {
  it('fixes the sentences the learner saw', () => {
    expect(resolveParticles('로그 수익률을(를) 예측')).toBe('로그 수익률을 예측');
    expect(resolveParticles('모델의 2,368은(는) 그 1.02배')).toBe('모델의 2,368은 그 1.02배');
    expect(resolveParticles('0.3에서 0.02276(으)로 바뀌었고')).toBe('0.3에서 0.02276으로 바뀌었고');
    expect(resolveParticles('0(으)로 읽음')).toBe('0으로 읽음');
    expect(resolveParticles('h = 0.126은(는) tanh')).toBe('h = 0.126은 tanh');
  });

  it('reads Hangul by its final consonant (ㄹ takes 로)', () => {
    expect(resolveParticles('거래량을(를)')).toBe('거래량을');
    expect(resolveParticles('종가을(를)')).toBe('종가를');
    expect(resolveParticles('종가은(는)')).toBe('종가는');
    expect(resolveParticles('종가이(가)')).toBe('종가가');
    expect(resolveParticles('수익률(으)로')).toBe('수익률로');
    expect(resolveParticles('가격(으)로')).toBe('가격으로');
    expect(resolveParticles('시가(으)로')).toBe('시가로');
    expect(resolveParticles('입력과(와)')).toBe('입력과');
    expect(resolveParticles('게이트과(와)')).toBe('게이트와');
    expect(resolveParticles('셀(이)나')).toBe('셀이나');
    expect(resolveParticles('게이트(이)나')).toBe('게이트나');
  });

  it('reads numbers as they are spoken, places included', () => {
    const cases: [string, string][] = [
      ['1', '로'], // 일
      ['2', '로'], // 이
      ['3', '으로'], // 삼
      ['6', '으로'], // 육
      ['7', '로'], // 칠
      ['8', '로'], // 팔
      ['10', '으로'], // 십
      ['20', '으로'], // 이십
      ['100', '으로'], // 백
      ['4,000', '으로'], // 사천
      ['50,000', '으로'], // 오만
      ['0.5', '로'], // 영 점 오
      ['1.20', '으로'], // 일 점 이영
    ];
    for (const [n, want] of cases) expect(resolveParticles(`${n}(으)로`), n).toBe(`${n}${want}`);
    expect(resolveParticles('2은(는)')).toBe('2는');
    expect(resolveParticles('30은(는)')).toBe('30은');
    expect(resolveParticles('−0.23은(는)')).toBe('−0.23은');
  });

  it('reads units and Latin words as Korean says them', () => {
    expect(resolveParticles('41.7%은(는)')).toBe('41.7%는'); // 퍼센트
    expect(resolveParticles('1.02×은(는)')).toBe('1.02×는'); // 배
    expect(resolveParticles('Volume을(를)')).toBe('Volume을'); // 볼륨
    expect(resolveParticles('Close을(를)')).toBe('Close를'); // 클로즈
    expect(resolveParticles('LSTM이(가)')).toBe('LSTM이'); // 엘에스티엠
    expect(resolveParticles('GRU이(가)')).toBe('GRU가'); // 지알유
    expect(resolveParticles('AAPL(으)로')).toBe('AAPL로'); // …피엘
    expect(resolveParticles('“종가”을(를)')).toBe('“종가”를'); // past the closing quote
  });

  it('leaves sentences without a pair alone, and detects a leftover pair', () => {
    expect(resolveParticles('학습을 누르세요 (에포크 3)')).toBe('학습을 누르세요 (에포크 3)');
    expect(hasParticlePair('값을(를) 바꿈')).toBe(true);
    expect(hasParticlePair('값을 바꿈 (은닉 2)')).toBe(false);
    expect(particleFor(finalOf(''), '을(를)')).toBe('를');
  });
});
