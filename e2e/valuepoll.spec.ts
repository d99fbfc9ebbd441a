// Closing a value poll (issue 13, item 3): one optional step with its preview, "set the lever to
// the median X and the band to the room's estimate A - B", built from the answers only (no
// widening to include the lever's current value). Answers 3, 4.5 and 6 (%) for the conversion
// rate (1.3% on the baseline): median 4.5%, middle half 3.75% - 5.25%.
import { expect, test } from '@playwright/test';
import { createBoard, openBoard, rememberIdentity } from './helpers';

test('closing a value poll offers the median and the room’s estimate, and applies exactly those', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  const board = await createBoard(request, 'Value poll');
  const modContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await rememberIdentity(modContext, 'Maria Lopez', '#0b5cad');
  const mod = await modContext.newPage();
  await openBoard(mod, board.links.moderator);
  const voters = [];
  for (const [i, name] of ['Bilal', 'Ayesha', 'Omar'].entries()) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await rememberIdentity(context, name, '#c2410c');
    const page = await context.newPage();
    await openBoard(page, board.links.editor);
    voters.push({ context, page, value: ['3', '4.5', '6'][i]! });
  }
  await mod.getByTestId('poll-open').click();
  await mod.getByTestId('poll-kind-value').click();
  await mod.getByTestId('poll-assumption').selectOption('conversionRate');
  await mod.getByTestId('poll-open-submit').click();
  for (const v of voters) {
    await v.page.getByTestId('poll-vote-value').fill(v.value);
    await v.page.getByTestId('poll-vote-submit').click();
  }
  await expect(mod.getByTestId('poll-voters')).toHaveText(/^3 of \d+ answered$/);
  const preview = mod.getByTestId('poll-adopt-preview');
  await expect(preview).toContainText('to the median 4.5%');
  await expect(preview).toContainText("the room's estimate 3.75% – 5.25%");
  await mod.getByTestId('poll-adopt').check();
  await mod.getByTestId('poll-close').click();
  await expect(mod.getByTestId('poll-card')).toHaveCount(0);
  // The lever is the median for everyone; the band is the room's middle half, not widened to 1.3%.
  await expect(mod.getByTestId('input-conversionRate')).toHaveValue('4.5');
  await expect(voters[0]!.page.getByTestId('input-conversionRate')).toHaveValue('4.5');
  await mod.getByTestId('tab-analysis').click();
  await mod.getByTestId('analysis-bands').locator('summary').click();
  const band = mod.getByTestId('band-conversionRate');
  await expect(band.getByLabel('Freelancer conversion rate: low (%)')).toHaveValue('3.75');
  await expect(band.getByLabel('Freelancer conversion rate: high (%)')).toHaveValue('5.25');
  // Labelled as the room's, for the moderator and (read-only) for a participant.
  await expect(band.getByTestId('band-origin-conversionRate')).toHaveText("the room's estimate");
  const voter = voters[0]!.page;
  await voter.getByTestId('tab-analysis').click();
  await voter.getByTestId('analysis-bands').locator('summary').click();
  await expect(voter.getByTestId('band-conversionRate')).toContainText('3.75% – 5.25%');
  await expect(voter.getByTestId('band-origin-conversionRate')).toHaveText("the room's estimate");
  // Set by hand, the band is the moderator's again.
  await band.getByLabel('Freelancer conversion rate: low (%)').fill('3');
  await band.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(voter.getByTestId('band-conversionRate')).toContainText('3% – 5.25%');
  await expect(band.getByTestId('band-origin-conversionRate')).toHaveCount(0);
  for (const v of voters) await v.context.close();
  await modContext.close();
});
