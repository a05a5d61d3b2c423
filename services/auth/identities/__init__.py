"""Admin identities: invitations, two-person promotions, and the drivers that carry them to the identity provider
(local for the embedded default, Cognito + SES on EKS)."""
