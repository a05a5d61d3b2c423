tier     = 1
vpc_cidr = "10.40.0.0/16"
# Replace with your domain before the first apply.
domain = "dev.radiant.example.com"
