"""irritants"""
