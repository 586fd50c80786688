-- The member's choice, made in their customer account, to get the program's news by email. Off until turned on.
ALTER TABLE "Member" ADD COLUMN "pointsNewsEmails" BOOLEAN NOT NULL DEFAULT false;
