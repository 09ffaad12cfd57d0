"""kudos"""
