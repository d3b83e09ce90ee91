"""Talent evaluation (科普专业职称 and honours, seeds 000 (五), 003 (八), 004 (24)) and the
contact-and-service list of high-level talents (高层次人才联系服务, seed 000 (六))."""
