-- AlterTable
ALTER TABLE "dataset_version" ADD COLUMN     "import_options" JSONB;
