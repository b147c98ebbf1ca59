/**
 * `npm run check:agent-rules`: how many recommendations in the database break their agent's
 * rules (lengths, whole sentences, nothing repeated, not the current value or the item's
 * name, a better score once applied), by agent and rule. `-- --fresh` counts a demo seed made
 * now in memory instead of the configured database.
 */
import { closeDatabase, getDatabase, openDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { auditRecommendationRules } from "@/lib/agents/rule-audit";

async function main() {
  const isFresh = process.argv.includes("--fresh");
  const database = isFresh ? await openDatabase({ kind: "pglite", dataDir: "memory://" }) : await getDatabase();
  if (isFresh) {
    await database.migrate();
    await seedDemo(database.db);
  }
  const audit = await auditRecommendationRules(database.db);
  console.log(`${audit.breaking} of ${audit.checked} recommendations break their agent's rules.`);
  for (const [agentId, tally] of Object.entries(audit.byAgent)) {
    const rules = Object.entries(tally.byRule).map(([rule, n]) => `${rule} ${n}`).join(", ");
    console.log(`  ${agentId}: ${tally.breaking} of ${tally.checked}${rules ? ` (${rules})` : ""}`);
  }
  await (isFresh ? database.close() : closeDatabase());
  if (audit.breaking > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
