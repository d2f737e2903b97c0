-- 0004: what each model-graded verdict's judge call cost (tokens, cost, whether the cache served it), kept apart from
-- the task model's figures on case_results. NULL on scores of scorers that call no model, and on every score stored
-- before this migration. judge_cost is a decimal as TEXT, like case_results.cost.
ALTER TABLE case_scores ADD COLUMN judge_input_tokens  INTEGER NULL;
ALTER TABLE case_scores ADD COLUMN judge_output_tokens INTEGER NULL;
ALTER TABLE case_scores ADD COLUMN judge_cost          TEXT    NULL;
ALTER TABLE case_scores ADD COLUMN judge_cache_hit     INTEGER NULL;
