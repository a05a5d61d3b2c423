tier     = 3
vpc_cidr = "10.50.0.0/16"
# Replace with your domain before the first apply.
domain = "prod.radiant.example.com"
