<%@ page language="java" contentType="text/html; charset=UTF-8" pageEncoding="UTF-8"%>
<%@ include file="../../include/header.jsp" %>
<%@ include file="../../include/sub_visual.jsp" %>
<%@ include file="../../include/left_menu08.jsp" %>
<div class="con_mob_pad">
	<div class="sub_tit">개인정보처리방침</div>
	<h2 class="tbul1">1. 개인정보의 처리 목적</h2>
	<p class="mg_b40">도서관은 회원 관리와 자료 대출·반납, 프로그램 신청을 위하여 개인정보를 처리합니다.</p>
	<h2 class="tbul1">2. 개인정보의 보유 기간</h2>
	<p class="mg_b40">회원 정보는 탈퇴할 때까지 보유합니다.</p>
</div>
			</div>
		</div>
	</div>
</div>
<%@ include file="../../include/footer.jsp" %>
