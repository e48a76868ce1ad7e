"""bandwidth_apps"""
