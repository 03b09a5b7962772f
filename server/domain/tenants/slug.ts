import { z } from 'zod';
import { slugProblem } from './slug-rules.ts';

/** A tenant slug as input: the rules of slug-rules.ts, with their words as the error. */
export const slugSchema = z
  .string({ message: 'is required and must be a string' })
  .superRefine((slug, ctx) => {
    const problem = slugProblem(slug);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
