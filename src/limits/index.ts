export { ConnectionCallBudget, budgetKey, DEFAULT_CALLS_PER_WINDOW, DEFAULT_WINDOW_SECONDS } from "./call-budget.js";
export type { CallBudgetDecision, CallBudgetOptions, CallBudgetStore } from "./call-budget.js";
