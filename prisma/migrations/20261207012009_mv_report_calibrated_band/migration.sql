-- The calibrated 90 % band (method mv-2.0) beside Guideline 14's, so report lists show the band
-- verdicts use. Reports are immutable: rows stored before keep null (their results JSON holds the
-- band when they have one).
-- AlterTable
ALTER TABLE "mv_report" ADD COLUMN     "calibrated90_kwh" DOUBLE PRECISION;
