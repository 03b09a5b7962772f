import { describe, expect, it } from 'vitest';
import { markUnsaved, mayLeave } from '../../../client/src/router/leave-guard.ts';

describe('leaving a page with unsaved settings', () => {
  it('goes ahead without asking when nothing is unsaved', () => {
    let asked = 0;
    expect(
      mayLeave(() => {
        asked++;
        return false;
      }),
    ).toBe(true);
    expect(asked).toBe(0);
  });

  it('asks while a form holds unsaved changes, and does as the operator answers', () => {
    const clear = markUnsaved(true);
    const questions: string[] = [];
    const refuse = (question: string) => {
      questions.push(question);
      return false;
    };
    expect(mayLeave(refuse)).toBe(false);
    expect(mayLeave(() => true)).toBe(true);
    expect(questions[0]).toMatch(/not saved/);
    clear();
    expect(mayLeave(() => false)).toBe(true);
  });
});
