"""Rank and sign tests at sizes where listing every pair would not fit: O(n log n) time,
O(n) memory.

A rank test's bounds are order statistics of the pairwise differences (Mann-Whitney,
n1 * n2 of them) or of the Walsh averages (Wilcoxon, n (n + 1) / 2): 5 * 10**9 numbers
for 100,000 against 50,000 runs. ``kth_pair`` picks the k-th of them without listing
them; ``rank_normal`` finds which k from the normal approximation the tests use at these
sizes; ``sign_normal`` is the sign-flip test's normal approximation, where sampling
20,000 sign patterns of every value would cost 20,000 * n. Below each test's cut-over
the exact definitions in ``gate.stats.ranks`` and ``gate.stats.paired`` still apply.
"""
